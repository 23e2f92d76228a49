using CaseExchange.Hosting;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseExchange.Benchmarks.Baselines;
using CaseExchange.Benchmarks.Measurement;
using CaseExchange.Benchmarks.Service;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Journal.Verification;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Situations.Referral;
using CaseExchange.Situations.Viewing;
using Marten;
using Npgsql;

namespace CaseExchange.Benchmarks.Figures;

/// <summary>
/// The figures of a running service under 16 concurrent clients: referrals in-process and over HTTP, full-file openings,
/// and the fail-closed check. Each worker acts as its own member on its own situations.
/// </summary>
public sealed class LiveFigures(BenchService service, BenchCouncil council, RunSettings settings, CpuMeter cpu, Report report)
{
    private const string Purpose = "preparation-seance";

    private readonly IDocumentStore _store = service.Store;
    private readonly CharterPolicy _policy = service.Get<CharterPolicy>();
    private readonly SituationKeys _keys = service.Get<SituationKeys>();
    private readonly IdentityIndex _index = service.Get<IdentityIndex>();
    private readonly Pseudonyms _pseudonyms = service.Get<Pseudonyms>();
    private readonly AccessJournal _journal = service.Get<AccessJournal>();
    private readonly VaultReader _vault = service.Get<VaultReader>();
    private readonly TimeProvider _clock = service.Get<TimeProvider>();

    /// <summary>The members' bearer tokens and a client for the service on Kestrel, once the HTTP figure has run.</summary>
    private string[]? _httpTokens;
    private Func<HttpClient>? _httpClientFactory;

    /// <summary>Situations referred by each worker: the readers open their own worker's, so journal chains never contend.</summary>
    private readonly ConcurrentBag<Guid>[] _referred = [.. Enumerable.Range(0, settings.Clients).Select(_ => new ConcurrentBag<Guid>())];

    /// <summary>
    /// The first rung between pgbench and a referral: the same 1 KB JSON row inserted from this process through Npgsql,
    /// one pooled connection and one durable commit per row: what .NET and the driver cost before any of the service's work.
    /// </summary>
    public async Task<LoadResult> BareInsertAsync(string connectionString)
    {
        await BenchPostgres.ExecuteAsync(connectionString, "create table if not exists bench_npgsql_rows (id bigserial primary key, data jsonb not null)");
        // The driver settings the service itself runs with.
        await using var dataSource = NpgsqlDataSource.Create(Database.WithStatementPreparation(connectionString));
        var result = await ConcurrentLoad.RunAsync("Npgsql insert of the pgbench row", settings.Clients, settings.WarmUp / 2, settings.LadderWindow, async (worker, iteration) =>
        {
            await using var command = dataSource.CreateCommand("insert into bench_npgsql_rows (data) values ($1::jsonb)");
            command.Parameters.Add(new NpgsqlParameter { Value = PgBench.Document(worker * 10_000_000L + iteration) });
            await command.ExecuteNonQueryAsync();
        }, cpu);
        report.Detail(result.ToString());
        return result;
    }

    /// <summary>
    /// The second rung: one event of the same size appended to a new stream through Marten, in the council's tenant, committed:
    /// Marten's append (function, stream row, event row) without lookups, validation, encryption, key document or projection.
    /// </summary>
    public async Task<LoadResult> BareAppendAsync()
    {
        var result = await ConcurrentLoad.RunAsync("Marten append of one 1 KB event", settings.Clients, settings.WarmUp / 2, settings.LadderWindow, async (worker, iteration) =>
        {
            await using var session = _store.LightweightSession(council.Code);
            session.Events.StartStream(Guid.CreateVersion7(), new BenchRowAppended(worker * 10_000_000L + iteration, PgBench.Document(iteration)));
            await session.SaveChangesAsync();
        }, cpu);
        report.Detail(result.ToString());
        return result;
    }

    /// <summary>Exactly what the endpoint runs, minus HTTP: Wolverine opens a lightweight session for the council and commits it.</summary>
    public async Task<LoadResult> ReferInProcessAsync()
    {
        var result = await ConcurrentLoad.RunAsync("Referral in-process", settings.Clients, settings.WarmUp, settings.Window, async (worker, iteration) =>
        {
            var member = council.Members[worker];
            await using var session = _store.LightweightSession(council.Code);
            var request = await CouncilRequest.ResolveAsync(session, Actor.SubjectOf(member.Principal), _policy, _clock);
            var created = await ReferSituationUseCase.HandleAsync(request, council.Referral(worker, iteration), _keys, _pseudonyms, _index);
            await session.SaveChangesAsync();
            _referred[worker].Add(created.SituationId);
        }, cpu);
        report.Detail(result.ToString());
        return result;
    }

    /// <summary>
    /// The same steps as <see cref="ReferSituationUseCase.HandleAsync"/>, one stopwatch each, under the same load: where a
    /// referral's time goes. Not the figure (the figure calls the endpoint method itself).
    /// </summary>
    public async Task ReferralBreakdownAsync()
    {
        var steps = new StepTimes("actor + council (batch)", "group + retry check (batch) + rules", "(retry check: in the batch before)", "validation", "pseudonym",
            "key + sealing + index", "commit (append, projection, key document, index rows)");
        var result = await ConcurrentLoad.RunAsync("Referral steps", settings.Clients, settings.WarmUp / 2, settings.BreakdownWindow, async (worker, iteration) =>
        {
            var member = council.Members[worker];
            var command = council.Referral(worker, iteration);
            await using var session = _store.LightweightSession(council.Code);
            var watch = Stopwatch.StartNew();
            var request = await CouncilRequest.ResolveAsync(session, Actor.SubjectOf(member.Principal), _policy, _clock);
            var actor = request.Actor;
            steps.Lap(0, watch);
            var situationId = Guid.CreateVersion7();
            var batch = session.CreateBatchQuery();
            var groupLookup = batch.Load<Group>(command.GroupId);
            var existingLookup = batch.Load<Situation>(situationId);
            await batch.Execute();
            var (group, existing) = (await groupLookup, await existingLookup);
            actor.Require(AccessRules.ActInGroup(_policy, actor.Member, actor.Council, group, Capabilities.ReferSituations));
            steps.Lap(1, watch);
            if (existing is not null) throw new InvalidOperationException("A new id already used");
            steps.Lap(2, watch);
            var now = _clock.GetUtcNow();
            ReferSituationUseCase.Check(command, group, actor.Council, _policy, DateOnly.FromDateTime(now.UtcDateTime)).ThrowIfAny();
            steps.Lap(3, watch);
            var pseudonym = await _pseudonyms.NextAsync(session.TenantId, now.Year);
            steps.Lap(4, watch);
            var cipher = _keys.CreateFor(session, situationId, now);
            var referred = ReferSituationUseCase.Decide(command, situationId, pseudonym, actor.Member, cipher, _policy, now);
            session.Events.StartStream<Situation>(situationId, referred);
            await _index.IndexAsync(session, situationId, ReferSituationUseCase.PersonsToIndex(command, referred));
            steps.Lap(5, watch);
            await session.SaveChangesAsync();
            steps.Lap(6, watch);
            steps.Done();
        });
        report.Detail($"Where a referral's time goes at {settings.Clients} writers ({result.PerSecond:F0}/s while instrumented): {steps}");
    }

    public async Task<LoadResult> ReferOverHttpAsync()
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Clients * 2, UseCookies = false, AllowAutoRedirect = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        }) { BaseAddress = service.BaseAddress };

        var tokens = new string[settings.Clients];
        for (var i = 0; i < settings.Clients; i++)
        {
            var response = await client.PostAsJsonAsync("dev/tokens", new { subject = council.Members[i].Subject });
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        }
        var url = $"api/councils/{council.Code}/situations";
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var bodies = Enumerable.Range(0, settings.Clients)
            .Select(worker => JsonSerializer.SerializeToUtf8Bytes(council.Referral(worker, 999_999), web)).ToArray();

        var result = await ConcurrentLoad.RunAsync("Referral over HTTP", settings.Clients, settings.WarmUp, settings.Window, async (worker, _) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bodies[worker]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[worker]);
            using var response = await client.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }, cpu);
        report.Detail(result.ToString());

        // Kept for the fail-closed figure, which also tries a few openings over the wire.
        _httpTokens = tokens;
        _httpClientFactory = () => new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = service.BaseAddress };
        return result;
    }

    /// <summary>Authorisation, journal append (committed) and decryption, through the endpoint method, each reader on its own situations.</summary>
    public async Task<LoadResult> OpenFilesAsync()
    {
        var pools = _referred.Select(bag => bag.ToArray()).ToArray();
        if (pools.Any(p => p.Length == 0)) throw new InvalidOperationException("Every reader needs situations from the referral figure.");
        var committer = service.Get<JournalCommitter>();
        var before = committer.Committed;
        var result = await ConcurrentLoad.RunAsync("Full-file opening", settings.Clients, settings.WarmUp, settings.Window, async (worker, iteration) =>
        {
            var pool = pools[worker];
            await using var session = _store.LightweightSession(council.Code);
            var request = await CouncilRequest.ResolveAsync(session, Actor.SubjectOf(council.Members[worker].Principal), _policy, _clock);
            var file = await OpenFileUseCase.HandleAsync(request, pool[iteration % pool.Length], new OpenFile(Purpose, null), _keys, _journal, _vault);
            if (file.Persons.Count == 0) throw new InvalidOperationException("A file without its persons");
        }, cpu);
        report.Detail(result.ToString());
        var after = committer.Committed;
        var (rounds, entries) = (after.Rounds - before.Rounds, after.Entries - before.Entries);
        report.Detail($"Journal group commit during the figure (warm-up included): {entries} entries in {rounds} rounds, " +
                      $"{(rounds == 0 ? 0 : (double)entries / rounds):F1} entries per round");
        return result;
    }

    /// <summary>The steps of <see cref="OpenFileUseCase.HandleAsync"/> timed one by one under the same load (see <see cref="ReferralBreakdownAsync"/>).</summary>
    public async Task OpeningBreakdownAsync()
    {
        var pools = _referred.Select(bag => bag.ToArray()).ToArray();
        var steps = new StepTimes("member + council (batch), situation", "group + rules", "key (cache)", "journal append (own transaction, commit)", "stream + members read", "decryption + file");
        var result = await ConcurrentLoad.RunAsync("Opening steps", settings.Clients, settings.WarmUp / 2, settings.BreakdownWindow, async (worker, iteration) =>
        {
            var member = council.Members[worker];
            var situationId = pools[worker][iteration % pools[worker].Length];
            await using var session = _store.LightweightSession(council.Code);
            var watch = Stopwatch.StartNew();
            var request = await CouncilRequest.ResolveAsync(session, Actor.SubjectOf(member.Principal), _policy, _clock);
            var (known, councilState) = (request.Caller, request.CouncilState);
            var situation = await session.LoadAsync<Situation>(situationId);
            steps.Lap(0, watch);
            var group = await session.LoadAsync<Group>(situation!.GroupId);
            var verdict = AccessRules.OpenNominativeFile(_policy, known, councilState!, group, situation, false);
            if (!verdict.Allowed) throw new InvalidOperationException(verdict.Refusal);
            OpenFileUseCase.Check(new OpenFile(Purpose, null), situation, _policy).ThrowIfAny();
            steps.Lap(1, watch);
            await _keys.SealerForAsync(session, situationId);
            steps.Lap(2, watch);
            var receipt = await _journal.CommitAsync(council.Code, new JournalRequest(JournalActions.FileOpening, situation.Id, situation.Pseudonym, known!.Id,
                member.Subject, Purpose, null, null, true, null));
            var cipher = await _vault.OpenAsync(session, receipt);
            steps.Lap(3, watch);
            var events = await session.Events.FetchStreamAsync(situationId);
            var members = await session.LoadManyAsync<Member>(NominativeFileBuilder.MembersNamedIn(events));
            steps.Lap(4, watch);
            NominativeFileBuilder.Build(situation, events, cipher, members.ToDictionary(m => m.Id), group?.Name ?? "", CaseExchange.Journal.JournalNotice.Text, _policy);
            steps.Lap(5, watch);
            steps.Done();
        });
        report.Detail($"Where an opening's time goes at {settings.Clients} readers ({result.PerSecond:F0}/s while instrumented): {steps}");
    }

    /// <summary>PostgreSQL refuses every journal entry of the council (as a full disk or a revoked grant would): nothing may be returned.</summary>
    public async Task<(int Attempts, int Returned, int Refused503, long JournalRowsAdded)> OpenWhileJournalRefusesAsync(string connectionString)
    {
        var pools = _referred.Select(bag => bag.ToArray()).ToArray();
        var journalRows = $"select count(*) from {Database.SchemaName}.mt_events where type = '{JournalEventTypes.Entry}' and tenant_id = '{council.Code}'";
        var before = long.Parse(await BenchPostgres.ScalarAsync(connectionString, journalRows));
        await BenchPostgres.ExecuteAsync(connectionString, $"""
            create or replace function {Database.SchemaName}.bench_refuse_journal() returns trigger language plpgsql
              as $$ begin raise exception 'journal refused by the benchmark'; end $$;
            create trigger bench_refuse_journal before insert on {Database.SchemaName}.mt_events for each row
              when (new.type = '{JournalEventTypes.Entry}' and new.tenant_id = '{council.Code}') execute function {Database.SchemaName}.bench_refuse_journal();
            """);
        int returned = 0, refused = 0, attempts = 0;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; i < settings.FailClosedAttemptsPerReader; i++)
                {
                    Interlocked.Increment(ref attempts);
                    try
                    {
                        await using var session = _store.LightweightSession(council.Code);
                        var request = await CouncilRequest.ResolveAsync(session, Actor.SubjectOf(council.Members[worker].Principal), _policy, _clock);
                        var file = await OpenFileUseCase.HandleAsync(request, pools[worker][i % pools[worker].Length], new OpenFile(Purpose, null),
                            _keys, _journal, _vault);
                        if (file is not null) Interlocked.Increment(ref returned);
                    }
                    catch (ProblemException problem) when (problem.Problem.Status == 503 && problem.Problem.Type == JournalProblemTypes.Unavailable)
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            })));

            if (_httpTokens is not null && _httpClientFactory is not null)
            {
                using var client = _httpClientFactory();
                for (var worker = 0; worker < settings.Clients; worker++)
                {
                    attempts++;
                    using var request = new HttpRequestMessage(HttpMethod.Post,
                        $"api/councils/{council.Code}/situations/{pools[worker][0]}/file-openings") { Content = JsonContent.Create(new { purpose = Purpose }) };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _httpTokens[worker]);
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && body.Contains(JournalProblemTypes.Unavailable)) refused++;
                    else if (response.IsSuccessStatusCode) returned++;
                }
            }
        }
        finally
        {
            await BenchPostgres.ExecuteAsync(connectionString, $"drop trigger bench_refuse_journal on {Database.SchemaName}.mt_events");
        }
        var after = long.Parse(await BenchPostgres.ScalarAsync(connectionString, journalRows));
        report.Detail($"Journal refusing entries: {attempts} openings attempted ({settings.Clients * settings.FailClosedAttemptsPerReader} in-process, " +
                      $"{attempts - settings.Clients * settings.FailClosedAttemptsPerReader} over HTTP), {returned} files returned, {refused} answered 503 " +
                      $"'journal indisponible', journal rows added meanwhile: {after - before}");
        return (attempts, returned, refused, after - before);
    }
}

/// <summary>An event that belongs to no aggregate and no projection: Marten's bare append cost.</summary>
public sealed record BenchRowAppended(long R, string Payload);

/// <summary>Mean time per step across all operations of a breakdown run.</summary>
public sealed class StepTimes(params string[] names)
{
    private readonly long[] _ticks = new long[names.Length];
    private long _operations;

    public void Lap(int step, Stopwatch watch)
    {
        Interlocked.Add(ref _ticks[step], watch.ElapsedTicks);
        watch.Restart();
    }

    public void Done() => Interlocked.Increment(ref _operations);

    public override string ToString()
    {
        var total = _ticks.Sum();
        return string.Join("; ", names.Select((name, i) =>
            $"{name} {_ticks[i] * 1000.0 / Stopwatch.Frequency / Math.Max(1, _operations):F2} ms ({100.0 * _ticks[i] / Math.Max(1, total):F0} %)"));
    }
}
