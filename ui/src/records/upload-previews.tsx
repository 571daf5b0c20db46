// The files chosen for upload, before they are sent: a small preview of each image, the name of the others.
import { useEffect, useState } from 'preact/hooks';

export function UploadPreviews({ files }: { files: File[] }) {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    // Object URLs hold the file in memory until revoked: made for these files, revoked when they change.
    const made = files.map((f) => (f.type.startsWith('image/') ? URL.createObjectURL(f) : ''));
    setUrls(made);
    return () => made.forEach((u) => u && URL.revokeObjectURL(u));
  }, [files]);
  if (!files.length) return null;
  return (
    <ul class="upload-previews" aria-label="Files to upload">
      {files.map((f, i) => (
        <li key={`${f.name}-${i}`}>
          {urls[i] ? <img src={urls[i]} alt={`Preview of ${f.name}`} width={48} height={48} /> : null}
          <span>{f.name}</span>
        </li>
      ))}
    </ul>
  );
}
