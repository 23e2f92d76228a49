using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Benchmarks.Baselines;
using CaseExchange.Benchmarks.Measurement;
using CaseExchange.Benchmarks.Service;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Protection;
using CaseExchange.Retention;
using CaseExchange.Seances;
using CaseExchange.Situations;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Benchmarks.Figures;

/// <summary>One cost at one size: median and 95th percentile of <see cref="Count"/> sequential requests (or runs), in ms.</summary>
public sealed record GrowthCost(string Key, double P50Ms, double P95Ms, int Count, string? Note = null);

/// <summary>What a council of one size was made of, and what each cost came to there.</summary>
public sealed record GrowthSizeResult(int Situations, long Events, long JournalEntries, string Loading, IReadOnlyDictionary<string, GrowthCost> Costs,
    IReadOnlyDictionary<string, double> Memory);

/// <summary>
/// The growth figures (issue 17): a council bulk-loaded with its history (situations sealed with real keys and indexed,
/// projections rebuilt by the daemon, journal chains built as the journal builds them and sealed), then each
/// per-request cost measured through the real service on Kestrel: N sequential requests after a warm-up.
/// </summary>
public sealed class GrowthFigures(BenchPostgres postgres, RunSettings settings, Action<string> phase)
{
    private const string Council = BulkData.Council;
    private const string Purpose = "preparation-seance";

    public async Task<GrowthSizeResult> RunAsync(int situations)
    {
        var database = await postgres.CreateDatabaseAsync($"bench_growth_{situations}", settings.ConnectionOptions);
        var costs = new Dictionary<string, GrowthCost>();
        var memory = new Dictionary<string, double>();
        BulkData data;
        long journalEntries;
        string loading;
        var service = BenchService.Start(database, kestrel: true);
        try
        {
            var store = service.Store;
            phase($"Growth {situations:N0}: loading situations (sealed, keys wrapped, identities indexed)");
            var watch = Stopwatch.StartNew();
            data = await BulkData.GenerateAsync(store, service.Get<CharterPolicy>(), service.Get<SituationKeys>(), service.Get<TimeProvider>().GetUtcNow(),
                totalEvents: null, situations, service.Get<IdentityIndex>(), streamed: true);
            var generated = watch.Elapsed;
            phase($"Growth {situations:N0}: {data.EventCount:N0} events appended; rebuilding every projection");
            watch.Restart();
            using (var daemon = await store.BuildProjectionDaemonAsync())
                foreach (var type in new[] { typeof(Council), typeof(Member), typeof(CaseExchange.Councils.Group), typeof(Situation), typeof(Seance) })
                    await daemon.RebuildProjectionAsync(type, TimeSpan.FromMinutes(30), CancellationToken.None);
            var rebuilt = watch.Elapsed;
            await using (var session = store.QuerySession(Council))
            {
                var count = await session.Query<Situation>().CountAsync();
                if (count != situations) throw new InvalidOperationException($"Rebuild incomplete: {count} situations");
            }

            journalEntries = Math.Min((long)situations * settings.GrowthJournalPerSituation, settings.GrowthJournalMax);
            phase($"Growth {situations:N0}: building and sealing {journalEntries:N0} journal entries");
            watch.Restart();
            var journalSpan = await LoadJournalAsync(service, data, journalEntries);
            var journalLoad = watch.Elapsed;
            watch.Restart();
            await service.Get<JournalSealer>().SealAsync(Council);
            var sealedIn = watch.Elapsed;
            // The indexes the service creates at start (Hosting/SqlIndexes) are not Marten's: its bulk insertion and
            // projection rebuild drop them as extras. The service's next start recreates them; here, before measuring.
            var recreated = new List<string>();
            foreach (var index in service.Services.GetServices<CaseExchange.Hosting.SqlIndex>())
                if (await BenchPostgres.ScalarAsync(database, $"select count(*) from pg_indexes where indexname = '{index.Name}'") == "0")
                {
                    await BenchPostgres.ExecuteAsync(database, index.Sql);
                    recreated.Add(index.Name);
                }
            await BenchPostgres.ExecuteAsync(database, "vacuum analyze");
            await BenchPostgres.ExecuteAsync(database, "checkpoint");
            var size = await BenchPostgres.ScalarAsync(database, "select pg_size_pretty(pg_database_size(current_database()))");
            loading = $"{data.EventCount:N0} events (sealing and keys {generated.TotalSeconds:F0} s incl. bulk append {data.AppendTime.TotalSeconds:F0} s), " +
                      $"projections rebuilt in {rebuilt.TotalSeconds:F0} s, {journalEntries:N0} journal entries in {data.Situations.Count:N0} chains " +
                      $"loaded in {journalLoad.TotalSeconds:F0} s and sealed in {sealedIn.TotalSeconds:F0} s; database {size}" +
                      (recreated.Count > 0 ? $"; dropped by the bulk load and recreated: {string.Join(", ", recreated)}" : "");
            phase($"Growth {situations:N0}: loaded ({loading})");

            var requests = new GrowthRequests(service, data, settings, journalSpan);
            await requests.SignInAsync();
            foreach (var (key, cost) in await requests.MeasureAsync(phase, situations))
                costs[key] = cost;

            phase($"Growth {situations:N0}: retention sweep (cold, then warm)");
            var sweeper = service.Get<RetentionSweeper>();
            foreach (var (key, label) in new[] { ("sweep-cold", "cold"), ("sweep-warm", "warm") })
            {
                // The first sweep decrypts every live situation's birth dates, one journalled opening each: ~15 ms a
                // situation here, 25 minutes at 100,000. Above the limit neither runs (the next one would be a first one).
                if (situations > settings.GrowthColdSweepMax)
                {
                    phase($"  sweeps: not run above {settings.GrowthColdSweepMax:N0} situations");
                    break;
                }
                var (time, peak, allocated, retained) = await MemoryProbe.MeasureAsync(() => sweeper.SweepAsync());
                costs[key] = new GrowthCost(key, time.TotalMilliseconds, time.TotalMilliseconds, 1);
                memory[$"{key}-peak"] = peak;
                memory[$"{key}-allocated"] = allocated;
                memory[$"{key}-retained"] = retained;
                phase($"  sweep ({label}): {time.TotalSeconds:F2} s, live managed memory peak +{peak / 1e6:F1} MB, allocated {allocated / 1e6:F0} MB, retained +{retained / 1e6:F1} MB");
            }
        }
        finally
        {
            await service.DisposeAsync();
        }

        // Twice: the first start after the bulk load is the council's first start too, when the identity index's back-fill
        // looks once for unindexed situations (then marks the council done); every later restart is the second's case.
        foreach (var key in new[] { "restart-first", "restart" })
        {
            phase($"Growth {situations:N0}: service restart to the first served request ({key})");
            // With --profile: what PostgreSQL spent the restart on (the statements that read a council's history at start).
            if (settings.Profile)
                await BenchPostgres.ExecuteAsync(database, "create extension if not exists pg_stat_statements; select pg_stat_statements_reset()");
            var restart = Stopwatch.StartNew();
            var again = BenchService.Start(database, kestrel: true);
            try
            {
                // The host started (every hosted service's StartAsync done, Kestrel listening), then the first request (a
                // token, then the council: the endpoints' generated code compiled on first use or by the warm-up).
                var started = restart.Elapsed;
                var requests = new GrowthRequests(again, data, settings, default);
                await requests.FirstRequestAsync();
                var elapsed = restart.Elapsed;
                var split = $"host started in {started.TotalSeconds:F2} s, first request {(elapsed - started).TotalSeconds:F2} s after";
                costs[key] = new GrowthCost(key, elapsed.TotalMilliseconds, elapsed.TotalMilliseconds, 1, split);
                phase($"  {key}: {elapsed.TotalSeconds:F2} s ({split})");
                if (settings.Profile)
                    foreach (var line in await TopStatementsAsync(database))
                        phase($"    {line}");
            }
            finally
            {
                await again.DisposeAsync();
            }
        }
        NpgsqlConnectionPools.Clear();
        await postgres.DropDatabaseAsync($"bench_growth_{situations}");
        return new GrowthSizeResult(situations, data.EventCount, journalEntries, loading, costs, memory);
    }

    private static async Task<IReadOnlyList<string>> TopStatementsAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select calls, round(total_exec_time::numeric, 0), regexp_replace(left(query, 140), '\\s+', ' ', 'g') " +
            "from pg_stat_statements order by total_exec_time desc limit 8", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add($"{reader.GetInt64(0)} calls, {reader.GetDecimal(1)} ms: {reader.GetString(2)}");
        return lines;
    }

    /// <summary>
    /// Chains of entries built as the journal builds them, one chain per situation, interleaved in time (one entry per
    /// second across the council), loaded by Marten's bulk COPY 2,000 chains at a time, with their heads.
    /// </summary>
    private static async Task<JournalSpan> LoadJournalAsync(BenchService service, BulkData data, long total)
    {
        var store = service.Store;
        var chains = data.Situations.Count;
        var perChain = (int)Math.Max(1, total / chains);
        var now = service.Get<TimeProvider>().GetUtcNow();
        var start = now.AddSeconds(-(double)perChain * chains).AddDays(-2);
        const int batch = 2000;
        for (var from = 0; from < chains; from += batch)
        {
            var streams = new List<StreamAction>();
            var heads = new List<JournalChainHead>();
            for (var c = from; c < Math.Min(chains, from + batch); c++)
            {
                var situationId = data.Situations[c];
                var member = data.Members[1 + c % (data.Members.Count - 1)];
                JournalChainHead? head = null;
                var entries = new List<object>(perChain);
                for (var k = 0; k < perChain; k++)
                {
                    var granted = k % 10 != 9;
                    var request = new JournalRequest(JournalActions.FileOpening, situationId, data.Pseudonyms[c], member.Id, member.Subject,
                        Purpose, null, null, granted, granted ? null : Refusals.NotInHoldingGroup);
                    var entry = AccessJournal.Entry(Council, request, head, start.AddSeconds((double)k * chains + c));
                    head = new JournalChainHead
                    {
                        Id = JournalChains.ChainOf(situationId), SituationId = situationId, Pseudonym = data.Pseudonyms[c],
                        LastSequence = entry.Sequence, LastHash = entry.Hash, LastAt = entry.At, TenantId = Council,
                    };
                    entries.Add(entry);
                }
                streams.Add(StreamAction.Start(((DocumentStore)store).Events, JournalChains.ChainOf(situationId), [.. entries]));
                heads.Add(head!);
            }
            await store.BulkInsertEventsAsync(Council, streams, batchSize: 5000);
            await store.BulkInsertAsync(Council, heads);
        }
        return new JournalSpan(start, perChain * (long)chains);
    }
}

/// <summary>The journal's instants: entry j (across the council) at <see cref="Start"/> + j seconds.</summary>
public readonly record struct JournalSpan(DateTimeOffset Start, long Entries);

/// <summary>The requests of the growth figures, through HTTP as a browser or an API client would send them.</summary>
public sealed partial class GrowthRequests(BenchService service, BulkData data, RunSettings settings, JournalSpan journal)
{
    private const string Council = BulkData.Council;
    private readonly Dictionary<string, string> _tokens = [];
    private HttpClient? _coordinatorPages;
    private HttpClient? _auditorPages;
    private readonly HttpClient _api = new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public async Task SignInAsync()
    {
        foreach (var subject in data.Openers.Distinct().Append(data.Members[0].Subject).Append(data.Auditor.Subject))
            _tokens[subject] = await TokenAsync(subject);
        _coordinatorPages = await PageClientAsync(data.Members[0].Subject);
        _auditorPages = await PageClientAsync(data.Auditor.Subject);
    }

    private async Task<string> TokenAsync(string subject)
    {
        var response = await _api.PostAsJsonAsync("dev/tokens", new { subject });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private async Task<HttpClient> PageClientAsync(string subject)
    {
        var client = new HttpClient(new BehindTheProxy { InnerHandler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false } })
        {
            BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(10),
        };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var html = await client.GetStringAsync("connexion");
        var token = AntiforgeryToken().Match(html).Groups[1].Value;
        var response = await client.PostAsync("connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Subject"] = subject, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in of the page client: {(int)response.StatusCode}");
        return client;
    }

    /// <summary>After a restart: the first request the service serves (the council, read with a token obtained first).</summary>
    public async Task FirstRequestAsync()
    {
        var token = await TokenAsync(data.Members[0].Subject);
        await SendAsync(_api, HttpMethod.Get, $"api/councils/{Council}", token, null, HttpStatusCode.OK);
    }

    public async Task<IReadOnlyList<(string Key, GrowthCost Cost)>> MeasureAsync(Action<string> phase, int size)
    {
        var coordinator = _tokens[data.Members[0].Subject];
        var auditor = _tokens[data.Auditor.Subject];
        var n = settings.GrowthRequests;
        var heavy = settings.GrowthHeavyRequests;
        var random = new Random(size);
        // Situations that are never closed (i % 3 != 0): openings need no archive reason.
        int OpenSituation() => random.Next(data.Situations.Count / 3) * 3 + 1;
        var results = new List<(string, GrowthCost)>();
        async Task Measure(string key, int count, Func<int, Task> request, string? note = null)
        {
            for (var w = 0; w < settings.GrowthWarmUp; w++) await request(-1 - w);
            var times = new List<double>(count);
            for (var i = 0; i < count; i++)
            {
                var watch = Stopwatch.StartNew();
                await request(i);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            var cost = new GrowthCost(key, times[times.Count / 2], times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)], count, note);
            results.Add((key, cost));
            phase($"  {key}: p50 {cost.P50Ms:F1} ms, p95 {cost.P95Ms:F1} ms ({count} requests)");
        }

        await Measure("list-api", n, _ => SendAsync(_api, HttpMethod.Get, $"api/councils/{Council}/situations?page=1&pageSize=50", coordinator, null, HttpStatusCode.OK));
        await Measure("list-page", n, _ => SendAsync(_coordinatorPages!, HttpMethod.Get, $"c/{Council}/situations", null, null, HttpStatusCode.OK));
        await Measure("situation-page", n, _ =>
            SendAsync(_coordinatorPages!, HttpMethod.Get, $"c/{Council}/situations/{data.Situations[random.Next(data.Situations.Count)]}", null, null, HttpStatusCode.OK));
        await Measure("opening", n, _ =>
        {
            var i = OpenSituation();
            return SendAsync(_api, HttpMethod.Post, $"api/councils/{Council}/situations/{data.Situations[i]}/file-openings", _tokens[data.Openers[i]],
                new { purpose = "preparation-seance" }, HttpStatusCode.OK);
        });
        var seance = data.Seances[^1];
        var onAgenda = data.Situations.Skip((data.Seances.Count - 1) * BulkData.SituationsPerSeance).Take(BulkData.SituationsPerSeance).ToArray();
        var compteRendu = new
        {
            synthese = "Séance consacrée aux situations de décrochage et d'errance du secteur ; les partenaires ont partagé leurs constats.",
            prochainesEtapes = "Points d'étape au prochain groupe ; relance des partenaires absents.",
            notes = onAgenda.Select(id => new { situationId = id, text = "Accompagnement proposé, point d'étape prévu au prochain groupe." }).ToArray(),
        };
        var seanceVersion = JsonDocument.Parse(await SendAsync(_api, HttpMethod.Get, $"api/councils/{Council}/seances/{seance}", coordinator, null, HttpStatusCode.OK))
            .RootElement.GetProperty("version").GetInt64();
        await Measure("compte-rendu", heavy, async _ =>
        {
            var created = await SendAsync(_api, HttpMethod.Post, $"api/councils/{Council}/seances/{seance}/compte-rendu", coordinator,
                new { compteRendu.synthese, compteRendu.prochainesEtapes, compteRendu.notes, expectedVersion = seanceVersion }, HttpStatusCode.Created);
            seanceVersion = JsonDocument.Parse(created).RootElement.GetProperty("version").GetInt64();
        });
        await Measure("statistics-year", heavy, _ => SendAsync(_api, HttpMethod.Get,
            $"api/councils/{Council}/statistics?from={data.StatisticsFrom:yyyy-MM-dd}&to={data.StatisticsTo:yyyy-MM-dd}", coordinator, null, HttpStatusCode.OK));
        await Measure("journal-api", n, _ => SendAsync(_api, HttpMethod.Get, $"api/councils/{Council}/journal/entries?page=1&pageSize=50", auditor, null, HttpStatusCode.OK));
        await Measure("journal-page", n, _ => SendAsync(_auditorPages!, HttpMethod.Get, $"c/{Council}/journal", null, null, HttpStatusCode.OK));
        // A fixed window of 1,000 entries, somewhere in the council's history: the same amount of work at every size.
        await Measure("journal-csv", heavy, _ =>
        {
            var from = journal.Start.AddSeconds(random.NextInt64(Math.Max(1, journal.Entries - 1000)));
            return SendAsync(_api, HttpMethod.Get,
                $"api/councils/{Council}/journal/export?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(from.AddSeconds(1000).ToString("O"))}",
                auditor, null, HttpStatusCode.OK);
        }, "1,000 entries");
        await Measure("access-search", n, _ =>
        {
            var person = data.Followed(OpenSituation());
            return SendAsync(_api, HttpMethod.Post, $"api/councils/{Council}/access-requests", coordinator,
                new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance }, HttpStatusCode.OK);
        });
        await Measure("journal-verification", settings.GrowthVerifications, _ =>
            SendAsync(_api, HttpMethod.Post, $"api/councils/{Council}/journal/verifications", auditor, new { }, HttpStatusCode.OK));
        return results;
    }

    private static async Task<byte[]> SendAsync(HttpClient client, HttpMethod method, string url, string? token, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var content = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{method} {url.Split('?')[0]}: {(int)response.StatusCode} ({System.Text.Encoding.UTF8.GetString(content.AsSpan(0, Math.Min(400, content.Length)))})");
        return content;
    }
}

/// <summary>
/// A browser behind the deployment's reverse proxy, where TLS ends (deploy/): <c>X-Forwarded-Proto: https</c> from the
/// loopback, which the service trusts, so its Secure session and antiforgery cookies are set; the cookies kept here,
/// since a cookie container would not send Secure cookies over the plain HTTP of the loopback.
/// </summary>
internal sealed class BehindTheProxy : DelegatingHandler
{
    private readonly Dictionary<string, string> _cookies = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Add("X-Forwarded-Proto", "https");
        lock (_cookies)
            if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            lock (_cookies)
                foreach (var cookie in cookies)
                {
                    var pair = cookie.Split(';', 2)[0];
                    var equals = pair.IndexOf('=');
                    if (equals > 0) _cookies[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
                }
        return response;
    }
}

/// <summary>
/// Time and managed memory of one operation: the peak of live managed memory above its level before (a full blocking
/// collection every 100 ms, then the heap's size: what the operation holds, not the garbage a server GC lets pile up
/// between collections), bytes allocated, bytes retained after.
/// </summary>
public static class MemoryProbe
{
    public static async Task<(TimeSpan Time, double PeakBytes, double AllocatedBytes, double RetainedBytes)> MeasureAsync(Func<Task> operation)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { break; }
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            }
        });
        var watch = Stopwatch.StartNew();
        await operation();
        var time = watch.Elapsed;
        stop.Cancel();
        await sampler;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        return (time, Math.Max(peak - before, retained), allocated, retained);
    }
}

/// <summary>Clears Npgsql's pools before a database is dropped.</summary>
internal static class NpgsqlConnectionPools
{
    public static void Clear() => Npgsql.NpgsqlConnection.ClearAllPools();
}
