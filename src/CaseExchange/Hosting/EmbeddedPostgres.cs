using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CaseExchange.Hosting;

/// <summary>
/// A PostgreSQL cluster run from the machine's own PostgreSQL binaries: the persistent one that
/// <c>dotnet run</c> keeps in a git-ignored folder, or a throwaway one for the test suite.
/// Works as an ordinary user and as root (then every server command runs as the <c>postgres</c> user,
/// because PostgreSQL refuses to run as root).
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string SuperUser = "postgres";

    private readonly string _root;
    private readonly string _binDir;
    private readonly bool _ephemeral;
    private readonly bool _startedByUs;
    private readonly Process? _watchdog;

    public int Port { get; }
    public string Password { get; }
    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The folder of the server's binaries (initdb, pg_ctl, and also psql and pgbench).</summary>
    public string BinDirectory => _binDir;

    private EmbeddedPostgres(string root, string binDir, int port, string password, bool ephemeral, bool startedByUs)
    {
        _root = root;
        _binDir = binDir;
        Port = port;
        Password = password;
        _ephemeral = ephemeral;
        _startedByUs = startedByUs;
        if (startedByUs) _watchdog = StartWatchdog();
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Password={Password};Database={database}";

    /// <summary>
    /// Starts (or attaches to) the cluster that <c>dotnet run</c> keeps between runs. Durability stays at
    /// PostgreSQL's defaults (fsync, synchronous_commit on): it holds data about real people.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartPersistentAsync(string root, Action<string> log)
    {
        var binDir = PostgresBinaries.Locate();
        root = Path.GetFullPath(root);
        Directory.CreateDirectory(root);
        var passwordFile = Path.Combine(root, "superuser.secret");
        var dataDir = Path.Combine(root, "data");

        if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
        {
            log($"Creating the embedded PostgreSQL cluster in {dataDir} (first start).");
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            await WriteSecretFileAsync(passwordFile, password);
            PrepareOwnership(root);
            await RunServerToolAsync(binDir, "initdb",
                ["-D", dataDir, "-U", SuperUser, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C", "--no-instructions"]);
            await AppendConfigurationAsync(dataDir, ephemeral: false);
        }

        var secret = (await File.ReadAllTextAsync(passwordFile)).Trim();
        var running = RunningPort(dataDir);
        if (running is { } attachedPort)
        {
            log($"Attaching to the embedded PostgreSQL already running on port {attachedPort}.");
            return new EmbeddedPostgres(root, binDir, attachedPort, secret, ephemeral: false, startedByUs: false);
        }

        PrepareOwnership(root);
        var port = await StartServerAsync(binDir, root, dataDir);
        log($"Embedded PostgreSQL started on 127.0.0.1:{port} (data in {dataDir}).");
        return new EmbeddedPostgres(root, binDir, port, secret, ephemeral: false, startedByUs: true);
    }

    /// <summary>A throwaway cluster for tests: no fsync, deleted on dispose.</summary>
    public static Task<EmbeddedPostgres> StartEphemeralAsync() => StartThrowawayAsync(durable: false, []);

    /// <summary>
    /// A throwaway cluster with production durability (fsync, synchronous_commit and full_page_writes on), deleted on
    /// dispose: for benchmarks, whose figures must include the cost of a durable commit. <paramref name="settings"/> are
    /// extra postgresql.conf lines (e.g. <c>shared_preload_libraries</c>); they cannot turn durability off.
    /// </summary>
    public static Task<EmbeddedPostgres> StartThrowawayDurableAsync(IReadOnlyList<string>? settings = null)
    {
        var extra = settings ?? [];
        if (extra.Any(line => DurabilitySettings.Any(name => line.TrimStart().StartsWith(name, StringComparison.OrdinalIgnoreCase))))
            throw new ArgumentException("A durable cluster keeps PostgreSQL's durability settings.", nameof(settings));
        return StartThrowawayAsync(durable: true, extra);
    }

    private static readonly string[] DurabilitySettings = ["fsync", "synchronous_commit", "full_page_writes", "wal_sync_method"];

    private static async Task<EmbeddedPostgres> StartThrowawayAsync(bool durable, IReadOnlyList<string> settings)
    {
        var binDir = PostgresBinaries.Locate();
        var root = Path.Combine(Path.GetTempPath(), $"caseexchange-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var passwordFile = Path.Combine(root, "superuser.secret");
        await WriteSecretFileAsync(passwordFile, password);
        var dataDir = Path.Combine(root, "data");
        PrepareOwnership(root);
        List<string> initdb = ["-D", dataDir, "-U", SuperUser, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C", "--no-instructions"];
        if (!durable) initdb.Add("--no-sync");
        await RunServerToolAsync(binDir, "initdb", initdb);
        await AppendConfigurationAsync(dataDir, ephemeral: !durable, settings);
        var port = await StartServerAsync(binDir, root, dataDir);
        return new EmbeddedPostgres(root, binDir, port, password, ephemeral: true, startedByUs: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_startedByUs) return;
        if (_watchdog is not null)
        {
            // Closing its stdin is what the watchdog waits for: it stops the cluster (and deletes a throwaway one).
            _watchdog.StandardInput.Close();
            await _watchdog.WaitForExitAsync();
            _watchdog.Dispose();
        }
        else
        {
            try
            {
                await RunServerToolAsync(_binDir, "pg_ctl", ["-D", DataDirectory, "-m", _ephemeral ? "immediate" : "fast", "-w", "stop"]);
            }
            catch (Exception) when (_ephemeral)
            {
                // The folder is deleted below anyway; a server that is already gone is not an error here.
            }
        }
        if (_ephemeral)
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// A cluster started by this process must not outlive it, however it ends (an exception before the host runs, SIGTERM,
    /// kill -9): pg_ctl detaches the postmaster, so a small shell process holds the read end of a pipe whose write end only
    /// this process has. The kernel closes that end when this process ends, and the watchdog then stops the cluster.
    /// </summary>
    private Process? StartWatchdog()
    {
        var stop = new List<string> { Path.Combine(_binDir, "pg_ctl"), "-D", DataDirectory, "-m", _ephemeral ? "immediate" : "fast", "-w", "stop" };
        if (IsRoot) stop.InsertRange(0, ["runuser", "-u", SuperUser, "--"]);
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Signals sent to the service's process group (Ctrl+C, systemd's stop) must not end the watchdog before its job.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec >/dev/null 2>&1; trap '' INT TERM HUP; cat; \"$@\"; " +
                               (_ephemeral ? "rm -rf -- \"$CASEEXCHANGE_PG_ROOT\"" : "true"));
        start.ArgumentList.Add("caseexchange-pg-watchdog");
        foreach (var arg in stop) start.ArgumentList.Add(arg);
        start.Environment["CASEEXCHANGE_PG_ROOT"] = _root;
        start.Environment["LC_ALL"] = "C";
        start.Environment.Remove("PGDATA");
        return Process.Start(start);
    }

    private static async Task<int> StartServerAsync(string binDir, string root, string dataDir)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreeLoopbackPort();
            try
            {
                await RunServerToolAsync(binDir, "pg_ctl",
                    ["-D", dataDir, "-l", Path.Combine(root, "postgres.log"), "-w", "-t", "60", "-o", $"-p {port}", "start"]);
                return port;
            }
            catch (EmbeddedPostgresException e)
            {
                last = e; // most likely the port was taken between probing and binding
            }
        }
        throw new EmbeddedPostgresException(
            $"PostgreSQL did not start; see {Path.Combine(root, "postgres.log")}. {last?.Message}");
    }

    /// <summary>The port of a server already running on this data folder (postmaster.pid line 4), if any.</summary>
    private static int? RunningPort(string dataDir)
    {
        var pidFile = Path.Combine(dataDir, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port)) return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited) return null;
        }
        catch (ArgumentException)
        {
            return null; // stale pid file: pg_ctl start copes with it
        }
        using var probe = new TcpClient();
        try
        {
            probe.Connect(IPAddress.Loopback, port);
            return port;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static async Task AppendConfigurationAsync(string dataDir, bool ephemeral, IReadOnlyList<string>? settings = null)
    {
        var lines = new List<string>
        {
            "",
            "# Added by CaseExchange's embedded PostgreSQL",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "max_connections = 300",
            // Lets PostgreSQL notice a crashed service node within a second, so that its advisory locks
            // (projection daemon leadership) are released quickly.
            "client_connection_check_interval = 1000",
            // A checkpoint deletes old WAL segments instead of renaming them for reuse with their old bytes inside:
            // an erased situation key must not survive in a recycled segment (README, "Erasure and backups").
            "wal_recycle = off",
        };
        if (ephemeral)
        {
            // Throwaway test clusters only: the persistent cluster keeps PostgreSQL's durable defaults.
            // The test suite runs several service hosts at once (each with its pools, daemon and durability agent).
            lines.AddRange(["fsync = off", "synchronous_commit = off", "full_page_writes = off", "max_connections = 1000"]);
        }
        else
        {
            // Spelled out, so that a benchmark measures what production pays for an acknowledged write.
            lines.AddRange(["fsync = on", "synchronous_commit = on", "full_page_writes = on"]);
        }
        lines.AddRange(settings ?? []);
        await File.AppendAllLinesAsync(Path.Combine(dataDir, "postgresql.conf"), lines);
    }

    private static async Task WriteSecretFileAsync(string path, string secret)
    {
        await File.WriteAllTextAsync(path, secret + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>As root, hands the folder to the postgres user, who runs the server.</summary>
    private static void PrepareOwnership(string root)
    {
        if (!IsRoot) return;
        RunChecked("id", ["-u", SuperUser],
            $"Running as root, CaseExchange runs PostgreSQL as the '{SuperUser}' user, which does not exist. Install Debian's package: apt-get install postgresql");
        RunChecked("chown", ["-R", $"{SuperUser}:{SuperUser}", root], $"Could not give {root} to the '{SuperUser}' user.");
        RunChecked("runuser", ["-u", SuperUser, "--", "test", "-w", root],
            $"The '{SuperUser}' user cannot write to {root}: one of its parent folders is closed to other users (e.g. /root is mode 0700). " +
            "Choose a data folder elsewhere with EmbeddedPostgres__DataDirectory.");
    }

    private static async Task RunServerToolAsync(string binDir, string tool, IReadOnlyList<string> args)
    {
        var exe = Path.Combine(binDir, tool);
        var (file, arguments) = IsRoot
            ? ("runuser", new List<string> { "-u", SuperUser, "--", exe }.Concat(args).ToList())
            : (exe, args.ToList());
        var (exit, output) = await RunAsync(file, arguments);
        if (exit != 0)
            throw new EmbeddedPostgresException($"{tool} failed (exit {exit}): {output.Trim()}");
    }

    private static void RunChecked(string file, IReadOnlyList<string> args, string message)
    {
        var (exit, _) = RunAsync(file, args).GetAwaiter().GetResult();
        if (exit != 0) throw new EmbeddedPostgresException(message);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The server must not inherit the service's locale quirks or a PGDATA of the caller.
        start.Environment.Remove("PGDATA");
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new EmbeddedPostgresException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // A server started without -l could keep the pipes open; never wait on them past the tool's exit.
        var streams = Task.WhenAll(stdout, stderr);
        var output = await Task.WhenAny(streams, Task.Delay(TimeSpan.FromSeconds(2))) == streams
            ? stdout.Result + stderr.Result
            : "";
        return (process.ExitCode, output);
    }

    internal static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    internal static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;
}

/// <summary>Finds initdb and pg_ctl, or says in one message how to install them.</summary>
public static class PostgresBinaries
{
    public const string InstallHint =
        "PostgreSQL's server binaries were not found. Install them (Debian/Ubuntu: sudo apt-get install postgresql), " +
        "or set PG_BINDIR to the folder holding initdb and pg_ctl, " +
        "or configure an existing server with the environment variable ConnectionStrings__CaseExchange.";

    public static string Locate()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PG_BINDIR") is { Length: > 0 } configured) candidates.Add(configured);
        if (TryPgConfigBinDir() is { } fromPgConfig) candidates.Add(fromPgConfig);
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin")));
        }
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
               ?? throw new EmbeddedPostgresException(InstallHint);
    }

    private static string? TryPgConfigBinDir()
    {
        try
        {
            var start = new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed (Debian ships it in libpq-dev)
        }
    }
}

public sealed class EmbeddedPostgresException(string message) : Exception(message);
