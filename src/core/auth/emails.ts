// The texts of the account e-mails; each carries one link to the page that confirms the action.
import type { MailMessage } from '../mail/mailer.js';

export type EmailAction = 'confirm-verification' | 'confirm-password-reset' | 'confirm-email-change';

/** The page behind a link: `<appUrl>/_/#/auth/<action>/<token>`, as PocketBase's templates point. */
export function actionLink(appUrl: string, action: EmailAction, token: string): string {
  return `${appUrl.replace(/\/+$/, '')}/_/#/auth/${action}/${token}`;
}

const sign = '\n\nIf you did not ask for this, you can ignore this e-mail.\n';

export function verificationEmail(to: string, link: string): MailMessage {
  return {
    to,
    subject: 'Verify your e-mail address',
    text: `Hello,\n\nOpen this link to verify your e-mail address:\n\n${link}${sign}`,
  };
}

export function passwordResetEmail(to: string, link: string): MailMessage {
  return {
    to,
    subject: 'Reset your password',
    text: `Hello,\n\nOpen this link to choose a new password:\n\n${link}${sign}`,
  };
}

export function emailChangeEmail(to: string, link: string): MailMessage {
  return {
    to,
    subject: 'Confirm your new e-mail address',
    text: `Hello,\n\nOpen this link to confirm ${to} as the new e-mail address of your account:\n\n${link}${sign}`,
  };
}
