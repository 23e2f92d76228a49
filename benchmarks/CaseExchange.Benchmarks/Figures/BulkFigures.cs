using CaseExchange.Hosting;
using CaseExchange.Benchmarks.Baselines;
using CaseExchange.Benchmarks.Measurement;
using CaseExchange.Benchmarks.Service;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Journal.Verification;
using CaseExchange.Protection;
using CaseExchange.Seances;
using CaseExchange.Seances.CompteRendu;
using CaseExchange.Situations;
using CaseExchange.Statistics;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace CaseExchange.Benchmarks.Figures;

public sealed record Timed(TimeSpan Figure, TimeSpan Baseline, long Items);

/// <summary>The figures over a large store: projection rebuild, journal verification, a séance's CR, plenary statistics.</summary>
public sealed class BulkFigures(BenchService service, string connectionString, RunSettings settings, Report report)
{
    private readonly IDocumentStore _store = service.Store;

    public async Task<(BulkData Data, Timed Rebuild)> RebuildAsync()
    {
        var data = await BulkData.GenerateAsync(_store, service.Get<CaseExchange.Charter.CharterPolicy>(), service.Get<SituationKeys>(),
            service.Get<TimeProvider>().GetUtcNow(), settings.TotalEvents, settings.Situations);
        report.Detail($"Bulk data: {data.EventCount:N0} events ({data.Situations.Count:N0} situations, {data.Seances.Count} séances of {BulkData.SituationsPerSeance}) " +
                      $"appended by Marten's bulk COPY in {data.AppendTime.TotalSeconds:F1} s");

        // Every projection the service registers, rebuilt from the events by the projection daemon, one after the other.
        var projected = new[] { typeof(Council), typeof(Member), typeof(Group), typeof(Situation), typeof(Seance) };
        using var daemon = await _store.BuildProjectionDaemonAsync();
        var perProjection = new List<string>();
        var runs = new List<double>();
        // Median of three rebuilds, each after VACUUM ANALYZE and a CHECKPOINT: the previous rebuild's dead rows and the
        // bulk load's write-back must not land inside the timing, and the planner must know the tables' sizes.
        var rebuild = await Timing.MedianAsync(3,
            before: async () =>
            {
                perProjection.Clear();
                await BenchPostgres.ExecuteAsync(connectionString, "vacuum analyze");
                await BenchPostgres.ExecuteAsync(connectionString, "checkpoint");
            },
            measured: async () =>
            {
                var total = 0.0;
                foreach (var type in projected)
                {
                    var one = await Timing.OnceAsync(() => daemon.RebuildProjectionAsync(type, TimeSpan.FromMinutes(5), CancellationToken.None));
                    perProjection.Add($"{type.Name} {one.TotalSeconds:F1} s");
                    total += one.TotalSeconds;
                }
                runs.Add(total);
            });
        await using (var session = _store.QuerySession(BulkData.Council))
        {
            var situations = await session.Query<Situation>().CountAsync();
            var seances = await session.Query<Seance>().CountAsync();
            if (situations != data.Situations.Count || seances != data.Seances.Count)
                throw new InvalidOperationException($"Rebuild incomplete: {situations} situations, {seances} séances.");
        }
        // Where a rebuild's time goes: reading and deserialising every event through Marten alone, and writing the rebuilt
        // situations back through Marten's bulk COPY alone (the same documents, overwritten in place).
        var eventCount = 0;
        var read = await Timing.OnceAsync(async () =>
        {
            await using var session = _store.QuerySession(BulkData.Council);
            eventCount = (await session.Events.QueryAllRawEvents().ToListAsync()).Count;
        });
        IReadOnlyList<Situation> rebuiltSituations;
        await using (var session = _store.QuerySession(BulkData.Council)) rebuiltSituations = await session.Query<Situation>().ToListAsync();
        var write = await Timing.OnceAsync(() => _store.BulkInsertAsync(BulkData.Council, rebuiltSituations, Weasel.Core.BulkInsertMode.OverwriteExisting));
        report.Detail($"Rebuild, where the time goes: the {eventCount:N0} events read and deserialised by Marten alone {read.TotalSeconds:F1} s; " +
                      $"the {rebuiltSituations.Count:N0} situation documents written back by Marten's bulk COPY alone {write.TotalSeconds:F1} s");
        report.Detail($"Rebuild of every projection: {rebuild.TotalSeconds:F1} s for {data.EventCount:N0} events (median of 3 runs: {string.Join(" / ", runs.Select(r => $"{r:F1} s"))}; last run: {string.Join(", ", perProjection)})");

        var copy = await Copy.MedianAsync(connectionString, data.EventDocuments, "bench_copy_events");
        report.Detail($"COPY of the same {data.EventDocuments.Count:N0} event documents into a plain table: {copy.TotalSeconds:F2} s (median of 3)");
        return (data, new Timed(rebuild, copy, data.EventCount));
    }

    /// <summary>
    /// Chains of entries built exactly as the journal builds them (<see cref="AccessJournal.Entry"/>), loaded with Marten's bulk
    /// COPY, their heads sealed by the service's sealer; then a full verification of the council's journal.
    /// </summary>
    public async Task<Timed> VerifyJournalAsync(BulkData data)
    {
        var chains = Math.Min(settings.JournalChains, data.Situations.Count);
        var start = service.Get<TimeProvider>().GetUtcNow().AddDays(-30);
        var streams = new List<StreamAction>();
        var heads = new List<JournalChainHead>();
        var documents = new List<string>();
        var serializer = _store.Options.Serializer();
        for (var c = 0; c < chains; c++)
        {
            var situationId = data.Situations[c];
            var member = data.Members[1 + c % (data.Members.Count - 1)];
            JournalChainHead? head = null;
            var entries = new List<object>();
            for (var k = 0; k < settings.EntriesPerChain; k++)
            {
                var granted = k % 10 != 9;
                var request = new JournalRequest(JournalActions.FileOpening, situationId, data.Pseudonyms[c], member.Id, member.Subject,
                    "preparation-seance", null, null, granted, granted ? null : CaseExchange.Charter.Refusals.NotInHoldingGroup);
                var entry = AccessJournal.Entry(BulkData.Council, request, head, start.AddSeconds(c * settings.EntriesPerChain + k));
                head = new JournalChainHead
                {
                    Id = JournalChains.ChainOf(situationId), SituationId = situationId, Pseudonym = data.Pseudonyms[c],
                    LastSequence = entry.Sequence, LastHash = entry.Hash, LastAt = entry.At, TenantId = BulkData.Council,
                };
                entries.Add(entry);
                documents.Add(serializer.ToJson(entry));
            }
            streams.Add(StreamAction.Start(((DocumentStore)_store).Events, JournalChains.ChainOf(situationId), [.. entries]));
            heads.Add(head!);
        }
        var load = await Timing.OnceAsync(() => _store.BulkInsertEventsAsync(BulkData.Council, streams, batchSize: 5000));
        await _store.BulkInsertAsync(BulkData.Council, heads);
        var checkpoints = await service.Get<JournalSealer>().SealAsync(BulkData.Council);

        await BenchPostgres.ExecuteAsync(connectionString, "checkpoint");
        var verifier = service.Get<JournalVerifier>();
        JournalVerificationReport? verified = null;
        var verify = await Timing.MedianAsync(3, async () => verified = await verifier.VerifyAsync(BulkData.Council));
        if (verified is not { Intact: true } || verified.EntryCount != documents.Count)
            throw new InvalidOperationException($"Verification did not see an intact journal of {documents.Count} entries: {verified?.EntryCount} entries, first break {verified?.FirstBreak}");
        report.Detail($"Journal: {documents.Count:N0} entries in {chains:N0} chains (bulk COPY {load.TotalSeconds:F1} s), {checkpoints.Count} checkpoint(s) sealing " +
                      $"{verified.SealedChainCount} chains; verification (median of 3) {verify.TotalSeconds:F2} s, intact");

        var copy = await Copy.MedianAsync(connectionString, documents, "bench_copy_journal");
        report.Detail($"COPY of the same {documents.Count:N0} entry documents into a plain table: {copy.TotalSeconds:F2} s (median of 3)");
        return new Timed(verify, copy, documents.Count);
    }

    /// <summary>
    /// The CR of one séance of 40 examined situations: sources loaded, every identity of the persons concerned decrypted
    /// (keys evicted from the cache first, as for a CR written after the séance), free texts checked, DOCX, HTML and
    /// Markdown rendered. Baseline: reading the same rows with plain SELECTs.
    /// </summary>
    public async Task<Timed> CompteRenduAsync(BulkData data)
    {
        var generator = service.Get<CompteRenduGenerator>();
        var keys = service.Get<SituationKeys>();
        var seanceId = data.Seances[^1];
        var onAgenda = data.Situations.Skip((data.Seances.Count - 1) * BulkData.SituationsPerSeance).Take(BulkData.SituationsPerSeance).ToArray();
        var texts = new CompteRenduTexts(
            "Séance consacrée aux situations de décrochage et d'errance du secteur ; les partenaires ont partagé leurs constats.",
            "Points d'étape au prochain groupe ; relance des partenaires absents.",
            [.. onAgenda.Select(id => new SituationNote(id, "Accompagnement proposé, point d'étape prévu au prochain groupe."))]);
        var sizes = new long[3];
        var cr = await Timing.MedianAsync(5,
            before: () =>
            {
                foreach (var id in onAgenda) keys.Forget(BulkData.Council, id);
                return Task.CompletedTask;
            },
            measured: async () =>
            {
                await using var session = _store.QuerySession(BulkData.Council);
                var seance = await session.LoadAsync<Seance>(seanceId) ?? throw new InvalidOperationException("Séance missing");
                var draft = await generator.PrepareAsync(session, seance, texts, 1, DateTimeOffset.UtcNow);
                if (draft.Content is null)
                    throw new InvalidOperationException($"CR refused: {string.Join(", ", draft.Refusals.Select(r => r.Field))}");
                if (draft.Content.Examined.Count != BulkData.SituationsPerSeance)
                    throw new InvalidOperationException($"CR of {draft.Content.Examined.Count} situations");
                for (var f = 0; f < CompteRenduFormats.All.Count; f++) sizes[f] = CompteRenduFormats.Render(draft.Content, CompteRenduFormats.All[f]).Bytes.Length;
            });

        // Where the CR's time goes: one more generation, phase by phase, keys evicted as above.
        foreach (var id in onAgenda) keys.Forget(BulkData.Council, id);
        var phases = new List<string>();
        await using (var session = _store.QuerySession(BulkData.Council))
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var seance = await session.LoadAsync<Seance>(seanceId);
            var sources = await generator.LoadAsync(session, seance!, texts);
            phases.Add($"sources and identity index {watch.Elapsed.TotalMilliseconds:F0} ms");
            watch.Restart();
            var draft = generator.Draft(sources, texts, 1, DateTimeOffset.UtcNow);
            phases.Add($"identity check and content {watch.Elapsed.TotalMilliseconds:F0} ms");
            foreach (var format in CompteRenduFormats.All)
            {
                watch.Restart();
                CompteRenduFormats.Render(draft.Content!, format);
                phases.Add($"{format} {watch.Elapsed.TotalMilliseconds:F0} ms");
            }
        }
        report.Detail($"Where a CR's time goes: {string.Join(", ", phases)}");

        var schema = Database.SchemaName;
        var select = await Timing.MedianAsync(5, async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    Command($"select data from {schema}.mt_doc_seance where tenant_id = $1 and id = $2", BulkData.Council, seanceId),
                    Command($"select data from {schema}.mt_doc_situation where tenant_id = $1 and id = any($2)", BulkData.Council, onAgenda),
                    Command($"select data from {schema}.mt_events where tenant_id = $1 and stream_id = any($2) and type = 'situation_referred'", BulkData.Council, onAgenda),
                    Command($"select encode(wrapped_key, 'base64') from {SituationKeyTable.Name} where council = $1 and situation_id = any($2)", BulkData.Council, onAgenda),
                },
            };
            var rows = await ReadAllAsync(batch);
            if (rows != 1 + 3 * BulkData.SituationsPerSeance) throw new InvalidOperationException($"Plain SELECT read {rows} rows");
        });
        report.Detail($"CR of a séance of {BulkData.SituationsPerSeance} situations (40 key unwraps, identity check, DOCX {sizes[0]:N0} B, HTML {sizes[1]:N0} B, " +
                      $"Markdown {sizes[2]:N0} B): {cr.TotalMilliseconds:F0} ms (median of 5); plain SELECT of the séance, situations, referrals and keys: {select.TotalMilliseconds:F1} ms");
        return new Timed(cr, select, BulkData.SituationsPerSeance);
    }

    public async Task<Timed> StatisticsAsync(BulkData data)
    {
        var statistics = service.Get<PlenaryStatistics>();
        var stats = await Timing.MedianAsync(5, async () =>
        {
            await using var session = _store.QuerySession(BulkData.Council);
            var council = await session.LoadAsync<Council>(Council.StreamId) ?? throw new InvalidOperationException("Council missing");
            var computed = await statistics.ComputeAsync(session, council, data.StatisticsFrom, data.StatisticsTo);
            if (computed.Situations != data.SituationsInStatisticsPeriod)
                throw new InvalidOperationException($"Statistics over {computed.Situations} situations, expected {data.SituationsInStatisticsPeriod}");
        });
        var from = FrenchTime.StartOf(data.StatisticsFrom).ToUniversalTime();
        var to = FrenchTime.StartOf(data.StatisticsTo.AddDays(1)).ToUniversalTime();
        var select = await Timing.MedianAsync(5, async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    Command($"select data from {Database.SchemaName}.mt_doc_situation where tenant_id = $1 " +
                            "and (data ->> 'ReferredAt')::timestamptz >= $2 and (data ->> 'ReferredAt')::timestamptz < $3", BulkData.Council, from, to),
                },
            };
            var rows = await ReadAllAsync(batch);
            if (rows != data.SituationsInStatisticsPeriod) throw new InvalidOperationException($"Plain SELECT read {rows} rows");
        });
        report.Detail($"Plenary statistics over {data.SituationsInStatisticsPeriod:N0} situations: {stats.TotalMilliseconds:F0} ms (median of 5); " +
                      $"plain SELECT of the same {data.SituationsInStatisticsPeriod:N0} documents: {select.TotalMilliseconds:F0} ms");
        return new Timed(stats, select, data.SituationsInStatisticsPeriod);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return command;
    }

    private static async Task<int> ReadAllAsync(NpgsqlBatch batch)
    {
        var rows = 0;
        await using var reader = await batch.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(0);
                rows++;
            }
        } while (await reader.NextResultAsync());
        return rows;
    }
}
