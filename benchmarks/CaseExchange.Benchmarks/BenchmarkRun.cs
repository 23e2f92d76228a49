using System.Diagnostics;
using System.Globalization;
using CaseExchange.Benchmarks.Baselines;
using CaseExchange.Benchmarks.Figures;
using CaseExchange.Benchmarks.Measurement;
using CaseExchange.Benchmarks.Service;
using CaseExchange.Charter;

namespace CaseExchange.Benchmarks;

/// <summary>What the charter costs, as ratios against the bare PostgreSQL measured in the same run: see README, "Performance".</summary>
public static class BenchmarkRun
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args);
        }
        finally
        {
            BenchService.DeleteSecrets();
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
#if DEBUG
        Console.Error.WriteLine("Run the benchmarks in Release: dotnet run -c Release --project benchmarks/CaseExchange.Benchmarks");
        await Task.CompletedTask;
        return 2;
#else
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        var settings = RunSettings.Parse(args);
        var elapsed = Stopwatch.StartNew();
        var report = new Report();
        var artifacts = Path.Combine(RepositoryRoot(), "artifacts", "benchmarks");
        Directory.CreateDirectory(artifacts);
        string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        void Phase(string name) => Console.WriteLine($"[{elapsed.Elapsed:mm\\:ss}] {name} (load average {LoadAverage()})");

        report.Context("Date", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"));
        report.Context("Machine", $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        report.Context("Load average at start (1, 5, 15 min)", LoadAverage());
        if (settings.ConnectionOptions is not null) report.Context("Connection options tried", settings.ConnectionOptions);
        if (settings.Quick) report.Context("Mode", "**--quick smoke run: short windows, small data; the figures mean nothing**");

        Phase("Starting a durable PostgreSQL");
        await using var postgres = await BenchPostgres.StartAsync(settings.Profile);
        report.Context("PostgreSQL", $"{postgres.Description}; " + string.Join(", ", (await postgres.DurabilityAsync()).Select(s => $"{s.Name}={s.Value}")));

        if (settings.Growth) return await GrowthAsync(settings, postgres, artifacts, report, Phase, LoadAverage, elapsed);

        if (settings.CryptoRebuild) return await CryptoRebuildAsync(settings, postgres, artifacts, report, Phase, LoadAverage, elapsed);

        var live = await postgres.CreateDatabaseAsync("bench_live", settings.ConnectionOptions);
        // Each throughput figure gets its own pgbench run right before it: the machine's load drifts within a run.
        async Task<PgBenchResult> PgBenchAsync(int clients, TimeSpan duration, string when)
        {
            await PgBench.PrepareAsync(live);
            Phase($"pgbench: 1 KB JSON row inserts, {clients} client(s), {when}");
            var result = await PgBench.RunAsync(postgres.BinDirectory, live, clients, duration, postgres.Cpu);
            await BenchPostgres.ExecuteAsync(live, $"drop table {PgBench.Table}; checkpoint");
            report.Detail($"{result} ({when})");
            return result;
        }
        var pgbenchOne = settings.Levers ? null : await PgBenchAsync(1, settings.PgBenchSingleClientDuration, "one durable commit");

        Phase("Starting the service on Kestrel");
        LoadResult bareInsert, bareAppend, referral, http, opening;
        PgBenchResult pgbenchReferral, pgbenchHttp, pgbenchOpening;
        (int Attempts, int Returned, int Refused503, long JournalRowsAdded) failClosed;
        IReadOnlyDictionary<string, (double MeanNs, long AllocatedBytes)> crypto;
        await using (var service = BenchService.Start(live, kestrel: true))
        {
            report.Context("Marten event append mode", ((Marten.DocumentStore)service.Store).Options.Events.AppendMode.ToString());
            var council = await BenchCouncil.SeedAsync(service.Store, service.Get<CharterPolicy>(), "mesure", settings.Clients, DateTimeOffset.UtcNow);
            var figures = new LiveFigures(service, council, settings, postgres.Cpu, report);
            var profiler = new StatementProfile(live, settings.Profile, report);

            pgbenchReferral = await PgBenchAsync(settings.Clients, settings.PgBenchDuration, "before figure 1");
            Phase($"1. Ladder: Npgsql insert of the pgbench row, then a bare Marten append, {settings.Clients} tasks");
            bareInsert = await figures.BareInsertAsync(live);
            bareAppend = await figures.BareAppendAsync();

            Phase($"1. Referral in-process, {settings.Clients} writers");
            await profiler.ResetAsync();
            referral = await figures.ReferInProcessAsync();
            await profiler.ReportAsync("referral in-process");
            await figures.ReferralBreakdownAsync();

            pgbenchHttp = await PgBenchAsync(settings.Clients, settings.PgBenchDuration, "before figure 2");
            Phase($"2. Referral over HTTP, {settings.Clients} clients");
            http = await figures.ReferOverHttpAsync();

            pgbenchOpening = await PgBenchAsync(settings.Clients, settings.PgBenchDuration, "before figure 3");
            Phase($"3. Full-file opening, {settings.Clients} readers");
            await profiler.ResetAsync();
            opening = await figures.OpenFilesAsync();
            await profiler.ReportAsync("full-file opening");
            await figures.OpeningBreakdownAsync();
            if (settings.Levers) return LeversTable(report, settings, referral, bareAppend, pgbenchReferral, http, pgbenchHttp, opening, pgbenchOpening, artifacts, LoadAverage(), elapsed);
            Phase("3. Full-file opening while PostgreSQL refuses journal entries");
            failClosed = await figures.OpenWhileJournalRefusesAsync(live);

            Phase("4. Per-event cryptography (BenchmarkDotNet, in-process, short run)");
            crypto = Cryptography.Run(service.Services, settings, artifacts, report);
        }

        Timed rebuild, verification, compteRendu, statistics;
        var bulk = await postgres.CreateDatabaseAsync("bench_bulk", settings.ConnectionOptions);
        Phase("Starting the service on a second database for the bulk figures");
        await using (var service = BenchService.Start(bulk, kestrel: false))
        {
            var figures = new BulkFigures(service, bulk, settings, report);
            Phase($"5. Generating {settings.TotalEvents:N0} events and rebuilding every projection");
            var (data, rebuilt) = await figures.RebuildAsync();
            rebuild = rebuilt;
            Phase("5. Journal verification");
            verification = await figures.VerifyJournalAsync(data);
            Phase("6. CR of a séance of 40 situations");
            compteRendu = await figures.CompteRenduAsync(data);
            Phase($"6. Plenary statistics over {data.SituationsInStatisticsPeriod:N0} situations");
            statistics = await figures.StatisticsAsync(data);
        }

        // The table: each throughput figure against the pgbench run made right before it.
        var pgbench16 = $"pgbench, 1 KB JSON row insert, {settings.Clients} clients, run just before";
        string Rate(double perSecond, string unit) => $"{Report.Number(perSecond)} {unit}/s";

        Figure Throughput(string number, string name, LoadResult figure, string unit, PgBenchResult baseline, string goal, double? least)
        {
            var ratio = figure.PerSecond / baseline.Tps;
            return new Figure(number, name, Rate(figure.PerSecond, unit), pgbench16, Rate(baseline.Tps, "tx"), Report.Percent(ratio), goal,
                least is { } minimum ? ratio >= minimum : null);
        }
        report.Add(Throughput("1", $"Referral in-process (validation, encryption, append, inline projections), {settings.Clients} writers",
            referral, "referrals", pgbenchReferral, "≥ 25 %", 0.25));
        report.Add(Throughput("1.i", $"— for reference: the same 1 KB row inserted from .NET (Npgsql, pooled), {settings.Clients} tasks",
            bareInsert, "rows", pgbenchReferral, "(reported)", null));
        report.Add(Throughput("1.ii", $"— for reference: one 1 KB event appended through Marten (no lookup, encryption or projection), {settings.Clients} tasks",
            bareAppend, "events", pgbenchReferral, "(reported)", null));
        // Issue 17: a referral should cost little more than the bare append it ends with, both measured in the same run.
        var overAppend = referral.PerSecond / bareAppend.PerSecond;
        report.Add(new Figure("1.iii", $"Referral in-process over the bare Marten append (1 over 1.ii), {settings.Clients} writers",
            Rate(referral.PerSecond, "referrals"), "bare Marten append of one 1 KB event, same run", Rate(bareAppend.PerSecond, "events"),
            overAppend.ToString("F2", CultureInfo.InvariantCulture), "≥ 0.8", overAppend >= 0.8));
        report.Add(Throughput("2a", $"Referral over HTTP (authentication included), {settings.Clients} clients", http, "req", pgbenchHttp, "≥ 15 %", 0.15));
        var latency = pgbenchHttp.LatencyMs;
        report.Add(new Figure("2b", "— its p50 latency", Report.Ms(http.P50Ms), $"pgbench mean latency, {settings.Clients} clients", Report.Ms(latency),
            Report.Times(http.P50Ms / latency), "(reported)", null));
        report.Add(new Figure("2c", "— its p99 latency", Report.Ms(http.P99Ms), $"pgbench mean latency, {settings.Clients} clients", Report.Ms(latency),
            Report.Times(http.P99Ms / latency), "≤ 8 ×", http.P99Ms <= 8 * latency));
        report.Add(Throughput("3a", $"Full-file opening (authorisation, journal append, decryption), {settings.Clients} readers",
            opening, "files", pgbenchOpening, "≥ 25 %", 0.25));
        static string CpuRatio(LoadResult figure, PgBenchResult baseline) =>
            figure.Cpu is { } cpu && figure.Completed > 0 && cpu.Postgres > TimeSpan.Zero
                ? Report.Percent((baseline.Cpu.Children + baseline.Cpu.Postgres).TotalMilliseconds / baseline.Transactions
                                 / ((cpu.Service + cpu.Postgres).TotalMilliseconds / figure.Completed))
                : "n/a";
        report.Detail("The same ratios in CPU time, which the machine's load moves much less (pgbench's CPU per transaction, client and server, " +
                      $"over the figure's CPU per operation, service and server): Npgsql insert {CpuRatio(bareInsert, pgbenchReferral)}, " +
                      $"Marten append {CpuRatio(bareAppend, pgbenchReferral)}, referral in-process {CpuRatio(referral, pgbenchReferral)}, " +
                      $"referral over HTTP {CpuRatio(http, pgbenchHttp)}, full-file opening {CpuRatio(opening, pgbenchOpening)}");
        report.Add(new Figure("3b", "— with the journal append refused by PostgreSQL",
            $"{failClosed.Returned} of {failClosed.Attempts} returned", "attempts answered 503 'journal indisponible'", $"{failClosed.Refused503}",
            "—", "0 returned", failClosed.Returned == 0 && failClosed.Refused503 == failClosed.Attempts && failClosed.JournalRowsAdded == 0));
        var perEventUs = crypto["PerEvent"].MeanNs / 1000;
        report.Add(new Figure("4", "Per-event cryptography (key from cache, AES-GCM seal of an identity and the facts, journal SHA-256)",
            $"{perEventUs:F1} µs", "one durable commit, 1 client (pgbench mean latency)", Report.Ms(pgbenchOne!.LatencyMs),
            Report.Percent(perEventUs / 1000 / pgbenchOne.LatencyMs), "≤ 3 %", perEventUs / 1000 / pgbenchOne.LatencyMs <= 0.03));
        double PerSecond(TimeSpan time, long items) => items / time.TotalSeconds;
        var verifyRate = PerSecond(verification.Figure, verification.Items);
        var verifyCopy = PerSecond(verification.Baseline, verification.Items);
        report.Add(new Figure("5a", $"Journal verification, {verification.Items:N0} entries in {Math.Min(settings.JournalChains, settings.Situations):N0} chains",
            Rate(verifyRate, "entries"), "binary COPY of the same rows", Rate(verifyCopy, "rows"), Report.Percent(verifyRate / verifyCopy), "≥ 25 %", verifyRate / verifyCopy >= 0.25));
        var rebuildRate = PerSecond(rebuild.Figure, rebuild.Items);
        var rebuildCopy = PerSecond(rebuild.Baseline, rebuild.Items);
        report.Add(new Figure("5b", $"Rebuild of every projection from {rebuild.Items:N0} events",
            Rate(rebuildRate, "events"), "binary COPY of the same event documents", Rate(rebuildCopy, "rows"), Report.Percent(rebuildRate / rebuildCopy), "≥ 25 %", rebuildRate / rebuildCopy >= 0.25));
        report.Add(new Figure("6a", "CR of a séance of 40 situations (sources, identity check, DOCX + HTML + Markdown)",
            Report.Ms(compteRendu.Figure.TotalMilliseconds), "plain SELECT of the same rows", Report.Ms(compteRendu.Baseline.TotalMilliseconds),
            Report.Times(compteRendu.Figure / compteRendu.Baseline), "(reported)", null));
        report.Add(new Figure("6b", $"Plenary statistics over {statistics.Items:N0} situations",
            Report.Ms(statistics.Figure.TotalMilliseconds), "plain SELECT of the same documents", Report.Ms(statistics.Baseline.TotalMilliseconds),
            Report.Times(statistics.Figure / statistics.Baseline), "(reported)", null));

        report.Context("Load average at end (1, 5, 15 min)", LoadAverage());
        report.Context("Elapsed", $"{elapsed.Elapsed:mm\\:ss} (budget 15 min)");

        var results = Path.Combine(artifacts, "results.md");
        await File.WriteAllTextAsync(results, report.Markdown());
        Console.WriteLine();
        Console.WriteLine(report.Table());
        Console.WriteLine($"Load average {LoadAverage()}; elapsed {elapsed.Elapsed:mm\\:ss}; written to {results}");
        return 0;

#endif
    }

    /// <summary><c>--levers</c>: the lines of figures 1–3 and their ratios, printed and written to <c>levers.md</c> with the details (breakdowns).</summary>
    private static int LeversTable(Report report, RunSettings settings, LoadResult referral, LoadResult bareAppend, PgBenchResult pgbenchReferral,
        LoadResult http, PgBenchResult pgbenchHttp, LoadResult opening, PgBenchResult pgbenchOpening, string artifacts, string loadAverage, Stopwatch elapsed)
    {
        string Rate(double perSecond, string unit) => $"{Report.Number(perSecond)} {unit}/s";
        var pgbench16 = $"pgbench, 1 KB JSON row insert, {settings.Clients} clients, run just before";
        report.Add(new Figure("1", "Referral in-process", Rate(referral.PerSecond, "referrals"), pgbench16, Rate(pgbenchReferral.Tps, "tx"),
            Report.Percent(referral.PerSecond / pgbenchReferral.Tps), "≥ 25 %", referral.PerSecond / pgbenchReferral.Tps >= 0.25));
        var overAppend = referral.PerSecond / bareAppend.PerSecond;
        report.Add(new Figure("1.iii", "Referral in-process over the bare Marten append", Rate(referral.PerSecond, "referrals"),
            "bare Marten append of one 1 KB event, same run", Rate(bareAppend.PerSecond, "events"), overAppend.ToString("F2", CultureInfo.InvariantCulture), "≥ 0.8", overAppend >= 0.8));
        report.Add(new Figure("2a", "Referral over HTTP", Rate(http.PerSecond, "req"), pgbench16, Rate(pgbenchHttp.Tps, "tx"),
            Report.Percent(http.PerSecond / pgbenchHttp.Tps), "≥ 15 %", http.PerSecond / pgbenchHttp.Tps >= 0.15));
        report.Add(new Figure("2c", "— its p99 latency", Report.Ms(http.P99Ms), $"pgbench mean latency, {settings.Clients} clients", Report.Ms(pgbenchHttp.LatencyMs),
            Report.Times(http.P99Ms / pgbenchHttp.LatencyMs), "≤ 8 ×", http.P99Ms <= 8 * pgbenchHttp.LatencyMs));
        report.Add(new Figure("3a", "Full-file opening", Rate(opening.PerSecond, "files"), pgbench16, Rate(pgbenchOpening.Tps, "tx"),
            Report.Percent(opening.PerSecond / pgbenchOpening.Tps), "≥ 25 %", opening.PerSecond / pgbenchOpening.Tps >= 0.25));
        report.Context("Load average at end (1, 5, 15 min)", loadAverage);
        report.Context("Elapsed", $"{elapsed.Elapsed:mm\\:ss}");
        var path = Path.Combine(artifacts, "levers.md");
        File.WriteAllText(path, report.Markdown());
        Console.WriteLine();
        Console.WriteLine(report.Table());
        Console.WriteLine($"Load average {loadAverage}; elapsed {elapsed.Elapsed:mm\\:ss}; written to {path}");
        return 0;
    }

    /// <summary>
    /// <c>--crypto-rebuild</c>: figure 4 (per-event cryptography against one durable commit, pgbench at one client run just
    /// before) and figure 5b (every projection rebuilt from the bulk events against COPY), as the default run measures them;
    /// written to <c>crypto-rebuild.md</c> with the details (each BenchmarkDotNet line, each rebuild).
    /// </summary>
    private static async Task<int> CryptoRebuildAsync(RunSettings settings, BenchPostgres postgres, string artifacts, Report report,
        Action<string> phase, Func<string> loadAverage, Stopwatch elapsed)
    {
        var live = await postgres.CreateDatabaseAsync("bench_live", settings.ConnectionOptions);
        await PgBench.PrepareAsync(live);
        phase("pgbench: 1 KB JSON row inserts, 1 client, one durable commit");
        var pgbenchOne = await PgBench.RunAsync(postgres.BinDirectory, live, 1, settings.PgBenchSingleClientDuration, postgres.Cpu);
        await BenchPostgres.ExecuteAsync(live, $"drop table {PgBench.Table}; checkpoint");
        report.Detail($"{pgbenchOne} (one durable commit)");
        IReadOnlyDictionary<string, (double MeanNs, long AllocatedBytes)> crypto;
        await using (var service = BenchService.Start(live, kestrel: false))
        {
            phase("4. Per-event cryptography (BenchmarkDotNet, in-process, short run)");
            crypto = Cryptography.Run(service.Services, settings, artifacts, report);
        }
        Timed rebuild;
        var bulk = await postgres.CreateDatabaseAsync("bench_bulk", settings.ConnectionOptions);
        await using (var service = BenchService.Start(bulk, kestrel: false))
        {
            phase($"5. Generating {settings.TotalEvents:N0} events and rebuilding every projection");
            (_, rebuild) = await new BulkFigures(service, bulk, settings, report).RebuildAsync();
        }
        var perEventUs = crypto["PerEvent"].MeanNs / 1000;
        report.Add(new Figure("4", "Per-event cryptography (key from cache, AES-GCM seal of an identity and the facts, journal SHA-256)",
            $"{perEventUs:F1} µs", "one durable commit, 1 client (pgbench mean latency)", Report.Ms(pgbenchOne.LatencyMs),
            Report.Percent(perEventUs / 1000 / pgbenchOne.LatencyMs), "≤ 3 %", perEventUs / 1000 / pgbenchOne.LatencyMs <= 0.03));
        var rebuildRate = rebuild.Items / rebuild.Figure.TotalSeconds;
        var rebuildCopy = rebuild.Items / rebuild.Baseline.TotalSeconds;
        report.Add(new Figure("5b", $"Rebuild of every projection from {rebuild.Items:N0} events", $"{Report.Number(rebuildRate)} events/s",
            "binary COPY of the same event documents", $"{Report.Number(rebuildCopy)} rows/s", Report.Percent(rebuildRate / rebuildCopy), "≥ 25 %",
            rebuildRate / rebuildCopy >= 0.25));
        report.Context("Load average at end (1, 5, 15 min)", loadAverage());
        report.Context("Elapsed", $"{elapsed.Elapsed:mm\\:ss}");
        var path = Path.Combine(artifacts, "crypto-rebuild.md");
        await File.WriteAllTextAsync(path, report.Markdown());
        Console.WriteLine();
        Console.WriteLine(report.Table());
        Console.WriteLine($"Load average {loadAverage()}; elapsed {elapsed.Elapsed:mm\\:ss}; written to {path}");
        return 0;
    }

    /// <summary>
    /// <c>--growth</c>: one council per size, bulk-loaded with its history, then the per-request costs through the real
    /// service; the table is rewritten after each size, so that an interrupted run keeps the sizes it finished.
    /// </summary>
    private static async Task<int> GrowthAsync(RunSettings settings, BenchPostgres postgres, string artifacts, Report report,
        Action<string> phase, Func<string> loadAverage, Stopwatch elapsed)
    {
        var results = new List<GrowthSizeResult>();
        var path = Path.Combine(artifacts, "growth.md");
        var figures = new GrowthFigures(postgres, settings, phase);
        foreach (var size in settings.GrowthSizes)
        {
            results.Add(await figures.RunAsync(size));
            var markdown = new System.Text.StringBuilder();
            markdown.AppendLine("# CaseExchange: growth with a council's history").AppendLine();
            markdown.Append(report.ContextMarkdown());
            markdown.AppendLine($"- Load average now (1, 5, 15 min): {loadAverage()}; elapsed {elapsed.Elapsed:hh\\:mm\\:ss}").AppendLine();
            markdown.AppendLine(GrowthTable.Markdown(results));
            foreach (var r in results)
            {
                markdown.AppendLine($"- {r.Situations:N0} situations: {r.Loading}");
                markdown.AppendLine($"  - {string.Join("; ", r.Costs.Values.Select(c => $"{c.Key} p50 {c.P50Ms:F1} ms p95 {c.P95Ms:F1} ms (n={c.Count}{(c.Note is null ? "" : ", " + c.Note)})"))}");
                markdown.AppendLine($"  - memory (bytes): {string.Join("; ", r.Memory.Select(m => $"{m.Key} {m.Value:N0}"))}");
            }
            await File.WriteAllTextAsync(path, markdown.ToString());
        }
        Console.WriteLine();
        Console.WriteLine(GrowthTable.Markdown(results));
        Console.WriteLine($"Load average {loadAverage()}; elapsed {elapsed.Elapsed:hh\\:mm\\:ss}; written to {path}");
        return 0;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CaseExchange.sln"))) return directory.FullName;
        return Directory.GetCurrentDirectory();
    }
}
