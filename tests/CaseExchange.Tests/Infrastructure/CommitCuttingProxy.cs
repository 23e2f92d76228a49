using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>
/// A TCP proxy in front of PostgreSQL that, once armed with a stream id, lets the COMMIT of the transaction writing that
/// id reach the server and be executed, then cuts the connection before the client reads the answer: the service
/// faces a real dropped connection whose COMMIT is in the database, as when a network or a node fails at that instant.
/// </summary>
public sealed class CommitCuttingProxy : IAsyncDisposable
{
    private static readonly byte[] Begin = Encoding.ASCII.GetBytes("BEGIN");
    private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private byte[][]? _markers;
    private TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CommitCuttingProxy(string upstreamConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(upstreamConnectionString);
        _upstreamHost = builder.Host!;
        _upstreamPort = builder.Port;
        _listener.Start();
        ConnectionString = new NpgsqlConnectionStringBuilder(upstreamConnectionString)
            { Host = "127.0.0.1", Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.ConnectionString;
        _ = AcceptAsync();
    }

    /// <summary>The connection string that goes through the proxy.</summary>
    public string ConnectionString { get; }

    /// <summary>The next transaction that sends this id (as a uuid parameter or as text) loses its connection right after COMMIT.</summary>
    public Task ArmFor(Guid id)
    {
        _cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _markers = [id.ToByteArray(bigEndian: true), Encoding.ASCII.GetBytes(id.ToString())];
        return _cut.Task;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            var server = new TcpClient();
            try { await server.ConnectAsync(_upstreamHost, _upstreamPort); }
            catch (SocketException) { client.Dispose(); continue; }
            lock (_clients) _clients.AddRange([client, server]);
            var connection = new Connection(this, client, server);
            _ = connection.PumpToServerAsync();
            _ = connection.PumpToClientAsync();
        }
    }

    private sealed class Connection(CommitCuttingProxy proxy, TcpClient client, TcpClient server)
    {
        private bool _inTransaction;
        private bool _marked;
        private volatile bool _commitSent;

        public async Task PumpToServerAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                var from = client.GetStream();
                var to = server.GetStream();
                int read;
                while ((read = await from.ReadAsync(buffer)) > 0)
                {
                    var chunk = buffer.AsSpan(0, read);
                    if (chunk.IndexOf(Begin) >= 0) (_inTransaction, _marked) = (true, false);
                    if (_inTransaction && proxy._markers is { } markers && ContainsAny(buffer, read, markers)) _marked = true;
                    if (chunk.IndexOf(Commit) >= 0)
                    {
                        if (_marked && proxy._markers is not null)
                        {
                            proxy._markers = null;
                            _commitSent = true;
                        }
                        (_inTransaction, _marked) = (false, false);
                    }
                    await to.WriteAsync(buffer.AsMemory(0, read));
                }
            }
            catch (Exception) { }
            Close();
        }

        public async Task PumpToClientAsync()
        {
            var buffer = new byte[64 * 1024];
            var afterCommit = new List<byte>();
            try
            {
                var from = server.GetStream();
                var to = client.GetStream();
                int read;
                while ((read = await from.ReadAsync(buffer)) > 0)
                {
                    if (_commitSent)
                    {
                        // The server has executed the COMMIT once it answers "COMMIT": cut before the client hears it.
                        afterCommit.AddRange(buffer.AsSpan(0, read).ToArray());
                        if (afterCommit.ToArray().AsSpan().IndexOf(Commit) >= 0)
                        {
                            // Said before the cut: the service answers as soon as its connection drops, and a test that
                            // looked right then found the cut not yet reported (seen once in CI on 2 loaded cores).
                            proxy._cut.TrySetResult();
                            Close();
                            return;
                        }
                        continue;
                    }
                    await to.WriteAsync(buffer.AsMemory(0, read));
                }
            }
            catch (Exception) { }
            Close();
        }

        private static bool ContainsAny(byte[] buffer, int read, byte[][] markers)
        {
            foreach (var marker in markers)
                if (buffer.AsSpan(0, read).IndexOf(marker) >= 0) return true;
            return false;
        }

        private void Close()
        {
            client.Dispose();
            server.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients) foreach (var c in _clients) c.Dispose();
        return ValueTask.CompletedTask;
    }
}
