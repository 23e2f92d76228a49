namespace CaseExchange.Notifications;

/// <summary>Configuration section <c>Notifications</c> (README, Configuration). Without an SMTP host, no e-mail is sent.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The service's public address, for the links in the e-mails (e.g. <c>https://clspd.example.fr</c>).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How often overdue actions are looked for (each is announced once).</summary>
    public TimeSpan DueDateSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Delays between attempts while the SMTP server cannot be reached; the last one repeats indefinitely.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays is { Count: > 0 }
        ? RetryDelays
        : [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;

    /// <summary>MailKit's <c>SecureSocketOptions</c>: None, Auto, StartTls, StartTlsWhenAvailable, SslOnConnect.</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";

    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string? PasswordFile { get; set; }
    public string From { get; set; } = "caseexchange@localhost";
    public string FromName { get; set; } = "CaseExchange";
}
