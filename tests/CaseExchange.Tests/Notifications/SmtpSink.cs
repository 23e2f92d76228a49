using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace CaseExchange.Tests.Notifications;

/// <summary>One mail as the SMTP server received it: its envelope recipients, the raw bytes, and MimeKit's reading.</summary>
public sealed record ReceivedMail(IReadOnlyList<string> Recipients, string Raw, MimeMessage Message)
{
    public string Subject => Message.Subject ?? "";
    public string Text => Message.TextBody ?? "";

    /// <summary>Everything a reader of the mail could see: every header (raw and decoded), the subject and the body.</summary>
    public string Everything => string.Join("\n", [Raw, Subject, Text, .. Message.Headers.Select(h => $"{h.Field}: {h.Value}")]);
}

/// <summary>
/// A real SMTP server: Debian's python3-aiosmtpd (Controller), run as a child process on a loopback port, writing every
/// message it accepts to a folder (its envelope recipients first). Stopped and started again on the same port to play
/// an outage.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";
    public const string SkipReason =
        "Debian's python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd; .ci/run installs it). Set CI=true to make this a failure.";

    private const string Script = """
        import os, sys, time, uuid
        from aiosmtpd.controller import Controller

        folder, port = sys.argv[1], int(sys.argv[2])

        class Sink:
            async def handle_DATA(self, server, session, envelope):
                name = os.path.join(folder, "%d-%s.eml" % (time.time_ns(), uuid.uuid4().hex))
                with open(name + ".part", "wb") as f:
                    f.write(("X-Sink-Recipients: " + ",".join(envelope.rcpt_tos) + "\r\n").encode("ascii"))
                    f.write(envelope.original_content or envelope.content)
                os.rename(name + ".part", name)
                return "250 Message accepted"

        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        print("ready", flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"caseexchange-smtp-{Guid.NewGuid():N}");
    private Process? _process;

    public SmtpSink()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "mails"));
        File.WriteAllText(Path.Combine(_directory, "sink.py"), Script);
        Port = Hosting.Ports.Free();
    }

    public int Port { get; }

    public static bool CanRun
    {
        get
        {
            if (!File.Exists(Python)) return false;
            using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true, UseShellExecute = false })!;
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
    }

    public static bool MustRun => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Python, [Path.Combine(_directory, "sink.py"), Path.Combine(_directory, "mails"), Port.ToString()])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var ready = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (ready != "ready") throw new InvalidOperationException($"aiosmtpd did not start: {await _process.StandardError.ReadToEndAsync()}");
        var waited = Stopwatch.StartNew();
        while (!await AcceptsAsync())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(20)) throw new InvalidOperationException("aiosmtpd does not accept connections");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the server: the port refuses connections until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
        _process = null;
    }

    public IReadOnlyList<ReceivedMail> Received()
    {
        var mails = new List<ReceivedMail>();
        foreach (var file in Directory.GetFiles(Path.Combine(_directory, "mails"), "*.eml").Order())
        {
            var raw = File.ReadAllText(file);
            var firstLine = raw[..raw.IndexOf('\n')].TrimEnd('\r');
            var recipients = firstLine["X-Sink-Recipients: ".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries);
            using var stream = File.OpenRead(file);
            mails.Add(new ReceivedMail(recipients, raw, MimeMessage.Load(stream)));
        }
        return mails;
    }

    /// <summary>Waits until <paramref name="count"/> mails match (or the time is up), and returns those that match.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(Func<ReceivedMail, bool> match, int count, TimeSpan? timeout = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var found = Received().Where(match).ToList();
            if (found.Count >= count || waited.Elapsed > (timeout ?? TimeSpan.FromSeconds(60))) return found;
            await Task.Delay(200);
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
