namespace CaseExchange.Benchmarks;

/// <summary>How long and how big. The defaults are the documented run; <c>--quick</c> is a smoke test whose figures mean nothing.</summary>
public sealed record RunSettings
{
    public int Clients { get; init; } = 16;
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan BreakdownWindow { get; init; } = TimeSpan.FromSeconds(8);
    public TimeSpan LadderWindow { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan PgBenchDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan PgBenchSingleClientDuration { get; init; } = TimeSpan.FromSeconds(10);
    public int FailClosedAttemptsPerReader { get; init; } = 20;
    public int TotalEvents { get; init; } = 100_000;
    public int Situations { get; init; } = 20_000;
    public int JournalChains { get; init; } = 2_000;
    public int EntriesPerChain { get; init; } = 50;
    public bool Quick { get; init; }

    /// <summary><c>--growth</c>: the growth figures only (councils of growing size; see README, "Growth with a council's history").</summary>
    public bool Growth { get; init; }
    public IReadOnlyList<int> GrowthSizes { get; init; } = [1_000, 10_000, 100_000];
    public int GrowthJournalPerSituation { get; init; } = 100;
    public long GrowthJournalMax { get; init; } = 1_000_000;
    public int GrowthWarmUp { get; init; } = 3;
    public int GrowthRequests { get; init; } = 20;
    public int GrowthHeavyRequests { get; init; } = 6;
    public int GrowthVerifications { get; init; } = 2;
    public int GrowthColdSweepMax { get; init; } = 10_000;
    public bool Profile { get; init; }

    /// <summary><c>--levers</c>: figures 1–3 only (referral in-process with its ladder, over HTTP, opening, and their breakdowns), full windows: a lever's before and after in about three minutes.</summary>
    public bool Levers { get; init; }

    /// <summary><c>--crypto-rebuild</c>: figures 4 and 5b only (per-event cryptography against one durable commit, projection rebuild against COPY), about three minutes.</summary>
    public bool CryptoRebuild { get; init; }
    public bool Verbose { get; init; }

    /// <summary>Npgsql settings appended to the service's connection strings (<c>--connection-options "Max Auto Prepare=64"</c>), to try a driver setting.</summary>
    public string? ConnectionOptions { get; init; }

    public static RunSettings Parse(string[] args)
    {
        var settings = new RunSettings
        {
            Profile = args.Contains("--profile"),
            Levers = args.Contains("--levers"),
            CryptoRebuild = args.Contains("--crypto-rebuild"),
            Verbose = args.Contains("--verbose"),
            ConnectionOptions = Array.IndexOf(args, "--connection-options") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null,
        };
        if (args.Contains("--growth"))
        {
            settings = settings with { Growth = true };
            if (Array.IndexOf(args, "--growth-sizes") is var g and >= 0 && g + 1 < args.Length)
                settings = settings with { GrowthSizes = [.. args[g + 1].Split(',').Select(int.Parse)] };
            if (Array.IndexOf(args, "--growth-journal-max") is var j and >= 0 && j + 1 < args.Length)
                settings = settings with { GrowthJournalMax = long.Parse(args[j + 1]) };
            if (Array.IndexOf(args, "--growth-sweep-max") is var m and >= 0 && m + 1 < args.Length)
                settings = settings with { GrowthColdSweepMax = int.Parse(args[m + 1]) };
        }
        if (!args.Contains("--quick")) return settings;
        return settings with
        {
            Quick = true,
            WarmUp = TimeSpan.FromSeconds(2), Window = TimeSpan.FromSeconds(4), BreakdownWindow = TimeSpan.FromSeconds(2), LadderWindow = TimeSpan.FromSeconds(2),
            PgBenchDuration = TimeSpan.FromSeconds(4), PgBenchSingleClientDuration = TimeSpan.FromSeconds(3),
            FailClosedAttemptsPerReader = 3, TotalEvents = 10_000, Situations = 2_000, JournalChains = 200,
            GrowthSizes = settings.Growth && args.Contains("--growth-sizes") ? settings.GrowthSizes : [200, 2_000], GrowthJournalPerSituation = 20,
            GrowthWarmUp = 1, GrowthRequests = 5, GrowthHeavyRequests = 2, GrowthVerifications = 1,
        };
    }
}
