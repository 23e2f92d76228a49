using System.Diagnostics;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>
/// The one service of the test run that most test classes share, on one database: started on first use, stopped at the
/// end of the run (<see cref="TestRunLifetime"/>). Each class sees it through a view (<see cref="TestService.View"/>)
/// with a council of its own, so classes stay independent and run in parallel.
/// </summary>
public static class SuiteService
{
    private static readonly Lazy<Task<TestService>> Shared = new(StartAsync);
    private static int _views;

    private static async Task<TestService> StartAsync()
    {
        var postgres = await TestPostgres.GetAsync();
        return await TestService.StartAsync(await postgres.CreateDatabaseAsync("suite"));
    }

    /// <summary>A view of the shared service for one test class (the service started on the first call).</summary>
    public static async Task<TestService> ViewAsync()
    {
        Interlocked.Increment(ref _views);
        return (await Shared.Value).View();
    }

    /// <summary>Test classes that used the shared service (each one started a service of its own before).</summary>
    public static int Views => Volatile.Read(ref _views);

    public static async ValueTask StopAsync()
    {
        if (Shared.IsValueCreated) await (await Shared.Value).DisposeAsync();
    }
}

/// <summary>How many services the run started, written where the run's results are: the closing note's figure.</summary>
public static class ServiceStarts
{
    private static int _processes;

    /// <summary>Counts a service started as a process of its own (<see cref="ServiceProcess"/>).</summary>
    public static void CountProcess() => Interlocked.Increment(ref _processes);

    public static string Report()
    {
        var hosts = TestService.Starts;
        var shared = SuiteService.Views;
        // Before the shared service, each class on it started one of its own.
        var withoutSharing = hosts - (shared > 0 ? 1 : 0) + shared;
        return $"[suite] services started: {hosts + _processes} ({hosts} in-process hosts, {_processes} processes); " +
               $"{shared} test classes shared one host (without sharing: {withoutSharing + _processes})";
    }

    public static void Write()
    {
        var line = Report();
        try
        {
            var directory = Path.Combine(AppContext.BaseDirectory, "TestResults");
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "service-starts.txt"), line + Environment.NewLine);
        }
        catch (IOException)
        {
        }
        Console.WriteLine(line);
        Trace.WriteLine(line);
    }
}
