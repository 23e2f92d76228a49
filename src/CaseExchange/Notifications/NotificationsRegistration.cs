using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;

namespace CaseExchange.Notifications;

public static class NotificationsRegistration
{
    public const string Queue = "notifications";

    /// <summary>
    /// E-mail notifications (README, Notifications): a Marten event subscription raises <see cref="NotificationDue"/>
    /// on a durable local queue, its handler composes one <see cref="NotificationMail"/> per recipient, sent by MailKit;
    /// an unreachable SMTP server only delays a mail (retried indefinitely from PostgreSQL). Off without an SMTP host.
    /// </summary>
    public static void AddCaseExchangeNotifications(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(NotificationOptions.Section);
        builder.Services.Configure<NotificationOptions>(section);
        builder.Services.AddSingleton<SmtpMailer>();
        var options = section.Get<NotificationOptions>() ?? new NotificationOptions();

        builder.Services.ConfigureWolverine(wolverine =>
        {
            wolverine.LocalQueue(Queue).UseDurableInbox();
            wolverine.PublishMessage<NotificationDue>().ToLocalQueue(Queue);
            wolverine.PublishMessage<NotificationMail>().ToLocalQueue(Queue);
            wolverine.Policies.OnException<MailNotSentException>().ScheduleRetryIndefinitely([.. options.EffectiveRetryDelays]);
        });

        if (!options.Enabled)
        {
            builder.Services.AddHostedService<NotificationsOff>();
            return;
        }
        builder.Services.SubscribeToEvents(new NotificationSubscription());
        builder.Services.AddSingleton<DueDateReminders>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DueDateReminders>());
    }

    /// <summary>Says once, at start, that no mail will be sent.</summary>
    private sealed class NotificationsOff(ILogger<NotificationsOff> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("E-mail notifications are off: no SMTP host is configured (Notifications:Smtp:Host)");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
