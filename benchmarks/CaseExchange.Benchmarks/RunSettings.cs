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
    public bool Profile { get; init; }
    public bool Verbose { get; init; }

    /// <summary>Npgsql settings appended to the service's connection strings (<c>--connection-options "Max Auto Prepare=64"</c>), to try a driver setting.</summary>
    public string? ConnectionOptions { get; init; }

    public static RunSettings Parse(string[] args)
    {
        var settings = new RunSettings
        {
            Profile = args.Contains("--profile"),
            Verbose = args.Contains("--verbose"),
            ConnectionOptions = Array.IndexOf(args, "--connection-options") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null,
        };
        if (!args.Contains("--quick")) return settings;
        return settings with
        {
            Quick = true,
            WarmUp = TimeSpan.FromSeconds(2), Window = TimeSpan.FromSeconds(4), BreakdownWindow = TimeSpan.FromSeconds(2), LadderWindow = TimeSpan.FromSeconds(2),
            PgBenchDuration = TimeSpan.FromSeconds(4), PgBenchSingleClientDuration = TimeSpan.FromSeconds(3),
            FailClosedAttemptsPerReader = 3, TotalEvents = 10_000, Situations = 2_000, JournalChains = 200,
        };
    }
}
