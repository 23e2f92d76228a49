using CaseExchange.Retention.Ledger;
using CaseExchange.Retention.RightOfAccess.Requests;
using JasperFx.Events.Projections;
using Marten;

namespace CaseExchange.Retention;

public static class RetentionRegistration
{
    public static void AddCaseExchangeRetention(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
        builder.Services.AddSingleton<NominativeErasure>();
        builder.Services.Configure<ErasureLedgerOptions>(builder.Configuration.GetSection(ErasureLedgerOptions.Section));
        if (builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration[$"{ErasureLedgerOptions.Section}:Directory"]))
            builder.Services.PostConfigure<ErasureLedgerOptions>(o => o.Directory = Path.Combine(builder.Environment.ContentRootPath, ".data", "erasure-ledger"));
        builder.Services.AddSingleton<ErasureLedger>();
        // Registered before the sweep and after Marten's schema set-up: it runs before the server listens.
        builder.Services.AddSingleton<ErasureLedgerReplay>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ErasureLedgerReplay>());
        builder.Services.AddSingleton<RightOfAccess.RightOfAccessDocuments>();
        // The services of the erasure order and of the right of access, each handed to its endpoint as one parameter.
        builder.Services.AddSingleton<ErasureOrders.ErasureServices>();
        builder.Services.AddSingleton<RightOfAccess.RightOfAccessServices>();
        // The right-of-access requests (one stream each, no identity), projected with their events like the other aggregates.
        builder.Services.ConfigureMarten(options => options.Projections.Snapshot<AccessRequest>(SnapshotLifecycle.Inline));
        builder.Services.AddSingleton<RetentionSweeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RetentionSweeper>());
    }
}
