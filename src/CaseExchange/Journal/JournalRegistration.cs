using CaseExchange.Journal.Checkpoints;
using CaseExchange.Journal.Replay;
using CaseExchange.Journal.Verification;
using Marten;

namespace CaseExchange.Journal;

public static class JournalRegistration
{
    /// <summary>The access journal: appending, periodic checkpoints, verification and replay.</summary>
    public static void AddCaseExchangeJournal(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JournalOptions>()
            .Bind(builder.Configuration.GetSection(JournalOptions.Section))
            .Validate(o => o.CheckpointInterval >= TimeSpan.FromSeconds(10) && o.CheckpointInterval <= TimeSpan.FromDays(1),
                "Journal:CheckpointInterval must be between 00:00:10 and 1.00:00:00: chains are sealed at least daily.")
            .ValidateOnStart();

        builder.Services.ConfigureMarten(options =>
        {
            // Pinned names: the verifier reads the rows by them.
            options.Events.MapEventType<AccessJournalled>(JournalEventTypes.Entry);
            options.Events.MapEventType<JournalCheckpointSealed>(JournalEventTypes.Checkpoint);
            options.Schema.For<JournalChainHead>();
        });

        builder.Services.AddJournalCheckpointKey();
        builder.Services.AddSingleton<JournalCommitter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JournalCommitter>());
        builder.Services.AddSingleton<AccessJournal>();
        builder.Services.AddSingleton<JournalSealer>();
        builder.Services.AddSingleton<JournalVerifier>();
        builder.Services.AddSingleton<AccessReplay>();
        builder.Services.AddSingleton<JournalVerification>();
        builder.Services.AddSingleton<ControlReport.ControlReportServices>();
        builder.Services.AddHostedService<JournalCheckpointTimer>();
    }
}
