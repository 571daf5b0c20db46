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

/** A custom template's text with its placeholders filled. */
const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(APP_NAME|APP_URL|ALERT_INFO)\}/g, (whole, key: string) => values[key] ?? whole);

/**
 * The alert of a sign-in from a new place (`info`: when, IP, user agent). The collection's `authAlert.emailTemplate`
 * replaces the subject or the body it sets.
 */
export function authAlertEmail(
  to: string,
  info: string,
  custom: { subject: string; body: string; appName: string; appUrl: string },
): MailMessage {
  const values = { APP_NAME: custom.appName, APP_URL: custom.appUrl, ALERT_INFO: info };
  return {
    to,
    subject: custom.subject ? fill(custom.subject, values) : 'Login from a new location',
    text: custom.body
      ? fill(custom.body, values)
      : `Hello,\n\nWe noticed a sign-in to your ${custom.appName} account from a new location:\n\n${info}\n\n` +
        `If this wasn't you, change your ${custom.appName} password now: that signs out every other device.\n` +
        'If it was you, you can ignore this e-mail.\n',
  };
}
