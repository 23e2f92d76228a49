using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>
/// The service as a real process (<c>dotnet CaseExchange.dll</c>), as systemd runs it: for what only a process shows,
/// its exit code and what it leaves behind when it ends.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _embeddedPort = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public string WorkingDirectory { get; private init; } = "";
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the service in a fresh working folder (its content root) with the given settings (environment variables).</summary>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"caseexchange-process-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServiceAssembly());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_") || k.StartsWith("DOTNET_ENVIRONMENT")
                                                                 || k.StartsWith("ConnectionStrings__")).ToList())
            start.Environment.Remove(name);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__CaseExchange"] = "Information";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process) { WorkingDirectory = directory };
        ServiceStarts.CountProcess();
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>
    /// The service's own build output (same configuration and framework as the tests'): run from the tests' folder, the
    /// command line of JasperFx would scan the test assemblies too.
    /// </summary>
    private static string ServiceAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
        for (var directory = testOutput; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "CaseExchange", "bin", configuration, framework, "CaseExchange.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("The service's build output (src/CaseExchange/bin) was not found.");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        const string marker = "Embedded PostgreSQL started on 127.0.0.1:";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0) _embeddedPort.TrySetResult(new string(line[(at + marker.Length)..].TakeWhile(char.IsDigit).ToArray()));
    }

    /// <summary>The port of the embedded PostgreSQL the service started, once it says so.</summary>
    public async Task<int> EmbeddedPostgresPortAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_embeddedPort.Task, exited);
        Assert.True(first == _embeddedPort.Task, $"The service did not start an embedded PostgreSQL:\n{Output}");
        return int.Parse(await _embeddedPort.Task);
    }

    public async Task<int> ExitCodeAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromMinutes(2));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The service did not exit:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>Waits until GET url answers 200 (the process still running), as a load balancer would.</summary>
    public async Task WaitUntilAnswersAsync(string url, TimeSpan? within = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(2));
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"The service ended (exit {(_process.HasExited ? _process.ExitCode : 0)}):\n{Output}");
            try
            {
                if ((await client.GetAsync(url)).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        Assert.Fail($"{url} never answered 200:\n{Output}");
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits until nothing accepts connections on the port any more (a stopped server), or fails.</summary>
    public static async Task WaitUntilClosedAsync(int port, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(1));
        while (DateTime.UtcNow < deadline)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Something still listens on port {port}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Only the service: its embedded PostgreSQL watchdog must see it die and stop the cluster.
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(WorkingDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
