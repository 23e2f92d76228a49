using CaseExchange.Hosting;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CaseExchange.Http;
using Npgsql;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server of a test's own, made from the system's binaries with production durability (fsync and
/// synchronous_commit on): a primary, a streaming standby made by pg_basebackup, or a cluster restored from a base
/// backup and a WAL archive. As root, every server tool runs as the postgres user. Everything lives under one
/// folder of the test, deleted on dispose.
/// </summary>
public sealed class PostgresNode : IAsyncDisposable
{
    public const string SuperUser = "postgres";

    private readonly string _binDir;

    private PostgresNode(string root, string name, string binDir, string password)
    {
        Root = root;
        Name = name;
        _binDir = binDir;
        Password = password;
    }

    public string Root { get; }
    public string Name { get; }
    public string Password { get; }
    public int Port { get; private set; }
    public string DataDirectory => Path.Combine(Root, Name);
    public string LogFile => Path.Combine(Root, $"{Name}.log");

    public string HostAndPort => $"127.0.0.1:{Port}";

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Password={Password};Database={database};Pooling=false;Timeout=5";

    /// <summary>A folder for a group of nodes (a primary, its standby, backups, the WAL archive), open to the postgres user.</summary>
    public static string NewRoot(string prefix)
    {
        var root = Path.Combine(Path.GetTempPath(), $"caseexchange-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        if (IsRoot) Run("chown", ["-R", $"{SuperUser}:{SuperUser}", root]).GetAwaiter().GetResult();
        return root;
    }

    /// <summary>A new primary: initdb, production durability, replication allowed from 127.0.0.1; started.</summary>
    public static async Task<PostgresNode> StartPrimaryAsync(string root, string name, IEnumerable<string> settings)
    {
        var binDir = PostgresBinaries.Locate();
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var node = new PostgresNode(root, name, binDir, password);
        var passwordFile = Path.Combine(root, $"{name}.secret");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        await node.OwnAsync();
        await node.ToolAsync("initdb", ["-D", node.DataDirectory, "-U", SuperUser, "--auth=scram-sha-256", $"--pwfile={passwordFile}",
            "-E", "UTF8", "--locale=C", "--no-instructions",
            // Only initdb's own final flush is skipped: the server runs with fsync on.
            "--no-sync"]);
        File.Delete(passwordFile);
        await node.AppendConfigurationAsync([
            "listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", "max_connections = 200",
            "fsync = on", "synchronous_commit = on", "full_page_writes = on",
            "wal_level = replica", "max_wal_senders = 10", "hot_standby = on", "wal_keep_size = '256MB'",
            "client_connection_check_interval = 1000", .. settings]);
        await node.StartAsync();
        return node;
    }

    /// <summary>pg_basebackup of this server into <paramref name="destination"/> (WAL streamed alongside).</summary>
    public async Task BaseBackupAsync(string destination, bool writeRecoveryConfiguration, string applicationName = "pg_basebackup")
    {
        List<string> args = ["-D", destination, "-X", "stream", "-c", "fast", "--no-sync",
            "-d", $"host=127.0.0.1 port={Port} user={SuperUser} application_name={applicationName}"];
        if (writeRecoveryConfiguration) args.Add("-R");
        await ToolAsync("pg_basebackup", args);
    }

    /// <summary>A streaming standby of this primary (pg_basebackup -R), known to it as <paramref name="name"/>; started.</summary>
    public async Task<PostgresNode> StartStandbyAsync(string name)
    {
        var standby = new PostgresNode(Root, name, _binDir, Password);
        await BaseBackupAsync(standby.DataDirectory, writeRecoveryConfiguration: true, applicationName: name);
        // -R wrote primary_conninfo; the standby names itself so that synchronous_standby_names can require it.
        await standby.AppendConfigurationAsync([
            $"primary_conninfo = 'host=127.0.0.1 port={Port} user={SuperUser} password={Password} application_name={name}'"], auto: true);
        await standby.StartAsync();
        return standby;
    }

    /// <summary>
    /// A cluster restored from a base backup folder: alone (the backup's own WAL, as it was when the backup ended), or with
    /// the WAL archive replayed to its end; then promoted.
    /// </summary>
    public static async Task<PostgresNode> RestoreAsync(PostgresNode source, string backup, string name, string? walArchive)
    {
        var node = new PostgresNode(source.Root, name, source._binDir, source.Password);
        await Run("cp", ["-a", backup, node.DataDirectory]);
        List<string> settings = ["archive_mode = off"];
        if (walArchive is not null)
        {
            settings.AddRange([$"restore_command = 'cp {walArchive}/%f %p'", "recovery_target_action = 'promote'"]);
            await File.WriteAllTextAsync(Path.Combine(node.DataDirectory, "recovery.signal"), "");
        }
        await node.AppendConfigurationAsync(settings, auto: true);
        await node.StartAsync();
        await node.WaitUntilAsync("select not pg_is_in_recovery()", TimeSpan.FromSeconds(60));
        return node;
    }

    public async Task StartAsync()
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreeLoopbackPort();
            try
            {
                await ToolAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", $"-p {port}", "start"]);
                Port = port;
                return;
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }
        }
        throw new InvalidOperationException($"{Name} did not start: {last?.Message}; log: {await TailAsync()}");
    }

    /// <summary>The machine dies: SIGKILL to the postmaster, then at once to every process it started; no shutdown checkpoint.</summary>
    public void Crash()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First());
        var children = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == postmaster)
            .ToList();
        // The postmaster first, so that it cannot start a crash recovery when its children die.
        foreach (var pid in children.Prepend(postmaster)) Kill(pid, 9);
        foreach (var pid in children.Prepend(postmaster))
            while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid)) Thread.Sleep(5);
    }

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public Task PromoteAsync() => ToolAsync("pg_ctl", ["-D", DataDirectory, "-w", "-t", "60", "promote"]);

    public async Task StopAsync(string mode = "fast")
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            await ToolAsync("pg_ctl", ["-D", DataDirectory, "-m", mode, "-w", "stop"]);
    }

    public async Task<object?> ScalarAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public Task ExecuteAsync(string sql, string database = "postgres") => ScalarAsync(sql, database);

    /// <summary>Polls a boolean query until it is true (a condition of the server, not a timing assertion).</summary>
    public async Task WaitUntilAsync(string sql, TimeSpan limit, string database = "postgres")
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await ScalarAsync(sql, database) is true) return;
            }
            catch (NpgsqlException) when (watch.Elapsed < limit)
            {
            }
            if (watch.Elapsed > limit) throw new TimeoutException($"{Name}: '{sql}' still false after {limit}; log: {await TailAsync()}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync("immediate");
        }
        catch (InvalidOperationException)
        {
            // Crashed or never started: nothing to stop.
        }
    }

    /// <summary>Stops every node, then deletes their folder.</summary>
    public static async Task DisposeAllAsync(string root, params PostgresNode?[] nodes)
    {
        foreach (var node in nodes)
            if (node is not null) await node.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task AppendConfigurationAsync(IEnumerable<string> lines, bool auto = false)
    {
        var file = Path.Combine(DataDirectory, auto ? "postgresql.auto.conf" : "postgresql.conf");
        await File.AppendAllLinesAsync(file, ["", "# CaseExchange test node", .. lines]);
        await OwnAsync();
    }

    private async Task<string> TailAsync() =>
        File.Exists(LogFile) ? string.Join('\n', (await File.ReadAllLinesAsync(LogFile)).TakeLast(15)) : "(no log)";

    private Task OwnAsync() => IsRoot ? Run("chown", ["-R", $"{SuperUser}:{SuperUser}", Root]) : Task.CompletedTask;

    private async Task ToolAsync(string tool, IReadOnlyList<string> args)
    {
        var exe = Path.Combine(_binDir, tool);
        if (IsRoot) await Run("runuser", ["-u", SuperUser, "--", exe, .. args], Password);
        else await Run(exe, args, Password);
    }

    private static async Task Run(string file, IReadOnlyList<string> args, string? password = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("PGDATA");
        start.Environment["LC_ALL"] = "C";
        if (password is not null) start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // pg_ctl start leaves the server holding the pipes: never wait on them past the tool's exit.
        var streams = Task.WhenAll(stdout, stderr);
        var output = await Task.WhenAny(streams, Task.Delay(TimeSpan.FromSeconds(2))) == streams ? stdout.Result + stderr.Result : "";
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args.Where(a => !a.Contains("password")))} " +
                                                $"failed ({process.ExitCode}): {output.Trim()}");
    }

    // The embedded cluster's own helpers: one definition of a free port and of running as root.
    private static int FreeLoopbackPort() => EmbeddedPostgres.FreeLoopbackPort();

    private static bool IsRoot => EmbeddedPostgres.IsRoot;
}
