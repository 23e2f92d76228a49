using JasperFx;

namespace CaseExchange.Hosting;

/// <summary>
/// Runs the service, or an operator command (council-create, journal-verify...), and makes the exit code tell the truth:
/// a service that failed to start exits non-zero, so that systemd's restart policy starts it again once the database is back.
/// </summary>
public static class ServiceRun
{
    public const int StartFailedExitCode = 3;

    public static async Task<int> RunServiceOrCommandAsync(this WebApplication app, string[] args)
    {
        var started = false;
        app.Lifetime.ApplicationStarted.Register(() => started = true);
        var exit = await app.RunJasperFxCommands(args);
        // Given ASP.NET Core's own flags (--urls, --environment...), JasperFx runs the host itself and answers 0 even when
        // the start failed (e.g. PostgreSQL not up yet at boot).
        if (exit == 0 && !started && RunsTheService(args))
        {
            await Console.Error.WriteLineAsync("CaseExchange did not start (see the log above): exiting with code " + StartFailedExitCode + ".");
            return StartFailedExitCode;
        }
        return exit;
    }

    /// <summary>No command verb: the arguments are the service's own (or none), so the process is the service.</summary>
    public static bool RunsTheService(IReadOnlyList<string> args) =>
        args.Count == 0 || args[0].StartsWith('-') || string.Equals(args[0], "run", StringComparison.OrdinalIgnoreCase);
}
