using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace CaseExchange.Tests.Hosting;

/// <summary>
/// Debian's nginx, run as a child process (not a daemon) with its own prefix, pid, logs and temp folders under a temp
/// folder, on free loopback ports, with deploy/nginx/caseexchange.conf as shipped except for ports, certificate paths
/// and log path. <see cref="ReloadAsync"/> rewrites the upstream (a node marked down) and reloads gracefully.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string SkipReason = "nginx is not installed (apt-get install nginx; .ci/run installs it). Set CI=true to make this a failure.";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caseexchange-nginx-{Guid.NewGuid():N}");
    private readonly int[] _nodePorts;
    private Process? _process;

    private NginxProxy(int[] nodePorts)
    {
        _nodePorts = nodePorts;
        HttpsPort = Hosting.Ports.Free();
        HttpPort = Hosting.Ports.Free();
        Directory.CreateDirectory(_directory);
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }) Directory.CreateDirectory(Path.Combine(_directory, temp));
        Certificate = Infrastructure.TestSecrets.CreateLoopbackTlsCertificate();
        File.WriteAllText(Path.Combine(_directory, "tls.crt"), Certificate.ExportCertificatePem());
        using var key = Certificate.GetRSAPrivateKey()!;
        File.WriteAllText(Path.Combine(_directory, "tls.key"), key.ExportPkcs8PrivateKeyPem());
    }

    public static string? Binary => new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);

    public static bool MustRun => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public int HttpsPort { get; }
    public int HttpPort { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>Bumped at each reload and sent back in a header, so that the test knows when the new workers answer.</summary>
    public int Generation { get; private set; }

    public static async Task<NginxProxy> StartAsync(params int[] nodePorts)
    {
        var proxy = new NginxProxy(nodePorts);
        proxy.WriteConfiguration(down: null);
        proxy._process = Process.Start(new ProcessStartInfo(Binary ?? "nginx", [.. proxy.Arguments, "-g", "daemon off;"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        proxy._process.BeginOutputReadLine();
        proxy._process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (!await AcceptsAsync(proxy.HttpsPort))
        {
            if (proxy._process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(20))
                throw new InvalidOperationException($"nginx did not start: {proxy.ErrorLog}");
            await Task.Delay(50);
        }
        return proxy;
    }

    /// <summary>Marks one node "down" (or none) and reloads: old workers finish their requests, new ones use the new upstream.</summary>
    public async Task ReloadAsync(int? down)
    {
        WriteConfiguration(down);
        using var reload = Process.Start(new ProcessStartInfo(Binary ?? "nginx", [.. Arguments, "-s", "reload"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        await reload.WaitForExitAsync();
        if (reload.ExitCode != 0) throw new InvalidOperationException($"nginx -s reload failed: {await reload.StandardError.ReadToEndAsync()}");
    }

    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    private string[] Arguments => ["-p", _directory + "/", "-c", Path.Combine(_directory, "nginx.conf"), "-e", Path.Combine(_directory, "error.log")];

    private void WriteConfiguration(int? down)
    {
        Generation++;
        var shipped = File.ReadAllText(Path.Combine(RepositoryRoot, "deploy", "nginx", "caseexchange.conf"));
        var site = shipped
            .Replace("listen [::]:80;\n", "").Replace("listen [::]:443 ssl http2;\n", "")
            .Replace("listen 80;", $"listen 127.0.0.1:{HttpPort};")
            .Replace("listen 443 ssl http2;", $"listen 127.0.0.1:{HttpsPort} ssl http2;")
            .Replace("/etc/ssl/caseexchange/fullchain.pem", Path.Combine(_directory, "tls.crt"))
            .Replace("/etc/ssl/caseexchange/privkey.pem", Path.Combine(_directory, "tls.key"))
            .Replace("/var/log/nginx/caseexchange.access.log", Path.Combine(_directory, "access.log"))
            .Replace("add_header Strict-Transport-Security", $"add_header X-Test-Generation {Generation} always;\n    add_header Strict-Transport-Security");
        Assert.Contains($"listen 127.0.0.1:{HttpsPort} ssl", site);
        string[] shippedNodes = ["127.0.0.1:5080", "127.0.0.1:5081"];
        for (var i = 0; i < shippedNodes.Length; i++)
        {
            Assert.Contains($"server {shippedNodes[i]} ", site);
            var port = _nodePorts[i];
            site = Regex.Replace(site, $"server {Regex.Escape(shippedNodes[i])} ([^;]*);", m => $"server 127.0.0.1:{port} {m.Groups[1].Value}{(down == port ? " down" : "")};");
        }
        File.WriteAllText(Path.Combine(_directory, "caseexchange.conf"), site);
        var main = $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{_directory}}/nginx.pid;
            error_log {{_directory}}/error.log warn;
            events { worker_connections 512; }
            http {
                client_body_temp_path {{_directory}}/client_body;
                proxy_temp_path {{_directory}}/proxy;
                fastcgi_temp_path {{_directory}}/fastcgi;
                uwsgi_temp_path {{_directory}}/uwsgi;
                scgi_temp_path {{_directory}}/scgi;
                include {{_directory}}/caseexchange.conf;
            }
            """;
        File.WriteAllText(Path.Combine(_directory, "nginx.conf"), main);
    }

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "deploy", "nginx", "caseexchange.conf"))) return directory.FullName;
            throw new DirectoryNotFoundException("deploy/nginx/caseexchange.conf not found above the test binaries.");
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }


    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        Certificate.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}

public static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
