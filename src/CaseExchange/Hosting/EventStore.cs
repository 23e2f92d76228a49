using CaseExchange.Http;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Seances;
using CaseExchange.Situations;
using CaseExchange.Situations.Referral;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Events.Projections;
using Npgsql;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace CaseExchange.Hosting;

/// <summary>Marten (event store, projections) and Wolverine (HTTP endpoints, durable messages) on one PostgreSQL.</summary>
public static class EventStore
{
    // The access journal's entries by council and instant, for the auditors' page (last 50) and the CSV export of a
    // period: without it every entry was sorted or read.
    public static readonly SqlIndex JournalEntriesAt = new("ix_journal_entries_at",
        $"{Database.SchemaName}.mt_events (tenant_id, {Database.SchemaName}.mt_immutable_timestamptz(data ->> 'At') desc, " +
        "(cast(data ->> 'EntryId' as uuid)) desc) where type = 'access_journalled' and is_archived = false");

    // The situations on a séance's agenda (CR, agenda publication, cancellation: Agenda.Any(a => a.SeanceId == …), which
    // Marten writes data -> 'Agenda' @> …): without it every situation of the council was read.
    public static readonly SqlIndex SituationAgenda = new("ix_situation_agenda",
        $"{Database.SchemaName}.mt_doc_situation using gin ((data -> 'Agenda') jsonb_path_ops)");

    public static void AddCaseExchangeEventStore(this WebApplicationBuilder builder, string connectionString)
    {
        builder.Services.AddSingleton(Database.CreateDataSource(connectionString));
        builder.Services.AddSingleton<Pseudonyms>();
        builder.Services.AddSingleton<PersonsConcerned>();
        builder.Services.AddSingleton<ParameterFreeMartenLogger>();

        builder.Services.AddMarten(services =>
            {
                var options = new StoreOptions();
                options.Connection(services.GetRequiredService<NpgsqlDataSource>());
                options.DatabaseSchemaName = Database.SchemaName;
                options.Logger(services.GetRequiredService<ParameterFreeMartenLogger>());

                // Councils are tenants in one database (conjoined tenancy): every row carries its council and
                // every session is opened for one council. See README, "Architecture".
                options.Policies.AllDocumentsAreMultiTenanted();
                options.Events.TenancyStyle = TenancyStyle.Conjoined;
                // Needed by the projection daemon's leader election (HotCold) with this Npgsql set-up.
                options.Events.UseAdvisoryLockTransaction = true;
                // Our own indexes on Marten's tables (below): left alone by its start-up migration, which otherwise drops
                // what it does not declare, so that every start rebuilt the journal's index over the whole history.
                options.Events.IgnoreIndex(JournalEntriesAt.Name);

                options.Projections.Snapshot<Council>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<Member>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<Group>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<Situation>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<Seance>(SnapshotLifecycle.Inline);

                options.Schema.For<Member>().Index(m => m.Subject);
                options.Schema.For<Situation>().IgnoreIndex(SituationAgenda.Name).Index(s => s.GroupId).Index(s => s.Pseudonym).Index(s => s.ReferentId!)
                    // The anonymised list's order, per council: its page of 50 reads 50 rows, not the council's history.
                    .Index(s => s.ReferredAt, index =>
                    {
                        index.TenancyScope = Marten.Schema.Indexing.Unique.TenancyScope.PerTenant;
                        index.SortOrder = Weasel.Postgresql.Tables.SortOrder.Desc;
                    });
                options.Schema.For<Seance>().Index(s => s.GroupId);
                options.Schema.For<CreationReceipt>();
                options.Schema.For<IdentityIndexKey>();
                options.Storage.ExtendedSchemaObjects.Add(IdentityIndex.Schema());
                options.Storage.ExtendedSchemaObjects.Add(IdentityIndex.BackfillSchema());
                // Situation keys: a table of their own, so that an erased key can be purged from disk (SituationKeys).
                options.Storage.ExtendedSchemaObjects.Add(SituationKeyTable.Definition());
                options.Storage.ExtendedSchemaObjects.Add(CompteRenduKeyTable.Definition());
                return options;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .IntegrateWithWolverine();

        // Indexes on the very expressions Marten's LINQ writes, which its schema configuration cannot declare, created
        // after Marten's own schema (README, "Growth with a council's history").
        builder.Services.AddSingleton(JournalEntriesAt);
        builder.Services.AddSingleton(SituationAgenda);
        builder.Services.AddHostedService<SqlIndexes>();

        // Wolverine's generated code, compiled in ahead of time and used where it is current (README, "Pre-generated Wolverine code").
        var pregenerated = new PregeneratedCode(typeof(EventStore).Assembly);
        builder.Services.AddSingleton(pregenerated);
        builder.Host.UseWolverine(wolverine =>
        {
            // Under a test host the entry assembly is the test assembly; the endpoints live here.
            wolverine.ApplicationAssembly = typeof(EventStore).Assembly;
            if (PregeneratedCode.IsEnabled(builder.Configuration)) wolverine.CodeGeneration.Loader = pregenerated;
            wolverine.Policies.AutoApplyTransactions();
            wolverine.Durability.Mode = DurabilityMode.Balanced;
        });
        builder.Services.AddWolverineHttp();
    }

    public static void MapCaseExchangeEndpoints(this WebApplication app)
    {
        app.MapWolverineEndpoints(http =>
        {
            // Every API route names its council; Wolverine opens the Marten session for that tenant.
            http.TenantId.IsRouteArgumentNamed("council");
            http.RequireAuthorizeOnAll();
            // One request context per request (council, caller, session, policy, clock), built before the endpoint runs.
            http.AddParameterHandlingStrategy(new CouncilRequestParameter());
            http.RejectUnparseableQueryValues = true;
            // Compile every endpoint when the endpoints are built (by the warm-up), not on each one's first request.
            if (Warmup.IsEnabled(app.Configuration)) http.WarmUpRoutes = RouteWarmup.Eager;
        });
    }
}
