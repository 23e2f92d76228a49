using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CaseExchange.Notifications;

/// <summary>Hands a mail to the configured SMTP server (MailKit). Any failure becomes <see cref="MailNotSentException"/>: retried.</summary>
public sealed class SmtpMailer(IOptions<NotificationOptions> options, ILogger<SmtpMailer> logger)
{
    public async Task SendAsync(string address, NotificationMail mail, CancellationToken cancellation)
    {
        var smtp = options.Value.Smtp;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        message.To.Add(MailboxAddress.Parse(address));
        message.Subject = mail.Subject;
        message.MessageId = $"{mail.NoticeId:N}@caseexchange";
        message.Body = new TextPart("plain") { Text = mail.Body };

        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security, ignoreCase: true), cancellation);
            if (!string.IsNullOrEmpty(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, Password(smtp) ?? "", cancellation);
            await client.SendAsync(message, cancellation);
            await client.DisconnectAsync(quit: true, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Types only: an SMTP answer may quote the address.
            logger.LogWarning("Notification mail {NoticeId} not sent, will be retried: {ExceptionType}", mail.NoticeId, e.GetType().FullName);
            throw new MailNotSentException(e.GetType().Name);
        }
        logger.LogInformation("Notification mail {NoticeId} ({Kind}) handed to the SMTP server", mail.NoticeId, mail.Kind);
    }

    private static string? Password(SmtpOptions smtp) =>
        smtp.PasswordFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : smtp.Password;
}
