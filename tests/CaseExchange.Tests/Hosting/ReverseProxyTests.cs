using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using CaseExchange.Charter;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Hosting;

/// <summary>
/// One node of the service: the real Program on Kestrel, plain HTTP on a fixed loopback port (the upstream of nginx),
/// on the shared test database. It tells the test, in response headers, which node answered and the scheme and client
/// address it saw once the forwarded headers were applied.
/// </summary>
public sealed class ServiceNode : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private ServiceNode(WebApplicationFactory<Program> factory, string name, int port)
    {
        _factory = factory;
        Name = name;
        Port = port;
    }

    public string Name { get; }
    public int Port { get; }
    public IServiceProvider Services => _factory.Services;

    public static ServiceNode Start(string name, int port, string connectionString)
    {
        JasperFxEnvironment.AutoStartHost = true;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:CaseExchange", connectionString);
            builder.UseSetting("Protection:KeyRingCertificatePath", TestSecrets.KeyRingCertificatePath);
            builder.UseSetting("Authentication:DevelopmentSignIn:Enabled", "true");
            builder.UseSetting("Authentication:DevelopmentSignIn:SigningKey", TestSecrets.SigningKey);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new NodeHeaders(name)));
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new ServiceNode(factory, name, port);
    }

    /// <summary>Graceful stop, as SIGTERM does: Kestrel stops accepting, finishes the requests under way, then the host stops.</summary>
    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class NodeHeaders(string name) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                // Read when the response starts: after the service's own forwarded-headers middleware has run.
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers["X-Test-Node"] = name;
                    context.Response.Headers["X-Test-Seen"] = $"{context.Request.Scheme} {context.Connection.RemoteIpAddress}";
                    return Task.CompletedTask;
                });
                return following(context);
            });
            next(app);
        };
    }
}

public sealed class ReverseProxyTests
{
    private static bool CanRun => NginxProxy.Binary is not null || NginxProxy.MustRun;

    /// <summary>A client of the proxy from 127.0.0.5 (not nginx's 127.0.0.1), trusting the proxy's throwaway certificate.</summary>
    private static HttpClient ClientOf(NginxProxy proxy) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == proxy.Certificate.GetCertHashString() },
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.5"), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri($"https://127.0.0.1:{proxy.HttpsPort}/"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Two_nodes_behind_nginx_restart_one_after_the_other_under_load_without_losing_a_request()
    {
        Assert.SkipUnless(CanRun, NginxProxy.SkipReason);
        var cancellation = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        var connectionString = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("proxy");
        TestCouncil council;
        string reader, writer;
        await using (var setup = await TestService.StartAsync(connectionString))
        {
            council = await TestCouncil.CreateAsync(setup, "proxy");
            reader = await setup.TokenAsync(council.Coordonnateur);
            writer = await setup.TokenAsync(council.MemberOfHoldingGroup);
        }

        var ports = new[] { Ports.Free(), Ports.Free() };
        var nodes = new[] { ServiceNode.Start("a", ports[0], connectionString), ServiceNode.Start("b", ports[1], connectionString) };
        await using var proxy = await NginxProxy.StartAsync(ports);
        using var client = ClientOf(proxy);
        Console.WriteLine($"[proxy] council, two nodes and nginx ready in {clock.Elapsed.TotalSeconds:F1} s");

        try
        {
            // TLS at the proxy, HSTS from the proxy, and the service sees https and the client's own address.
            var live = await client.GetAsync("/health/live", cancellation);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("max-age=31536000; includeSubDomains", live.Headers.GetValues("Strict-Transport-Security").Single());
            Assert.Equal("https 127.0.0.5", live.Headers.GetValues("X-Test-Seen").Single());
            using (var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }))
            {
                var redirected = await plain.GetAsync($"http://127.0.0.1:{proxy.HttpPort}/c/proxy", cancellation);
                Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
                Assert.StartsWith("https://", redirected.Headers.Location!.ToString());
            }

            // Load: three readers and one writer (a referral: a POST that creates a situation) through the proxy.
            var outcomes = new ConcurrentQueue<(string Kind, bool Restarting, int Status, string? Node, string? Error)>();
            var restarting = false;
            using var stop = new CancellationTokenSource();
            async Task Loop(string kind, int index)
            {
                while (!stop.IsCancellationRequested)
                {
                    var during = Volatile.Read(ref restarting);
                    using var request = kind == "GET"
                        ? new HttpRequestMessage(HttpMethod.Get, $"{council.Api}/me")
                        : new HttpRequestMessage(HttpMethod.Post, $"{council.Api}/situations")
                        {
                            Content = JsonContent.Create(new
                            {
                                groupId = council.GroupA, reasons = new[] { "decrochage-scolaire" }, sector = "nord", urgency = "normale",
                                persons = new object[] { TestPerson.Distinctive($"Proxy{index}").AsRequest(PersonRoles.Followed) },
                                facts = "Faits de la charge",
                            }),
                        };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", kind == "GET" ? reader : writer);
                    // A graceful nginx reload closes idle keep-alive connections of its clients; a request written on one
                    // at that instant never reaches nginx, and browsers resend it, but HttpClient does not for a POST.
                    // One connection per request keeps that client-side race out of what is measured: the upstream's.
                    request.Headers.ConnectionClose = true;
                    try
                    {
                        using var response = await client.SendAsync(request, CancellationToken.None);
                        outcomes.Enqueue((kind, during, (int)response.StatusCode,
                            response.Headers.TryGetValues("X-Test-Node", out var node) ? node.Single() : null, null));
                    }
                    catch (Exception e)
                    {
                        outcomes.Enqueue((kind, during, 0, null, e.GetType().Name + ": " + e.Message));
                    }
                }
            }
            var load = new[] { Loop("GET", 0), Loop("GET", 1), Loop("GET", 2), Loop("POST", 3) };

            // Rolling restart: take the node out of the upstream (graceful reload), stop it (it drains), start it
            // again, put it back; then the other node.
            Volatile.Write(ref restarting, true);
            var restartClock = Stopwatch.StartNew();
            for (var i = 0; i < nodes.Length; i++)
            {
                await ReloadAndWaitAsync(proxy, client, down: ports[i]);
                var name = nodes[i].Name;
                await nodes[i].DisposeAsync();
                nodes[i] = ServiceNode.Start(name, ports[i], connectionString);
                await ReloadAndWaitAsync(proxy, client, down: null);
            }
            Volatile.Write(ref restarting, false);
            var restartSeconds = restartClock.Elapsed.TotalSeconds;
            // A few more requests on the two restarted nodes, then stop the load.
            var settled = outcomes.Count;
            while (outcomes.Count < settled + 20) await Task.Delay(20, cancellation);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            var all = outcomes.ToArray();
            var failed = all.Where(o => o.Status is not (200 or 201)).ToArray();
            var during = all.Where(o => o.Restarting).ToArray();
            var created = all.Count(o => o.Kind == "POST" && o.Status == 201);
            Console.WriteLine($"[proxy] rolling restart of 2 nodes in {restartSeconds:F1} s: {all.Length} requests sent " +
                              $"({all.Count(o => o.Kind == "GET")} GET, {all.Count(o => o.Kind == "POST")} POST), {during.Length} during the restart, " +
                              $"{failed.Length} failed; served by a: {all.Count(o => o.Node == "a")}, b: {all.Count(o => o.Node == "b")}");
            foreach (var f in failed.Take(10)) Console.WriteLine($"[proxy] failed {f.Kind} during restart={f.Restarting}: {f.Status} {f.Error}");

            Assert.Empty(failed);
            Assert.True(during.Length > 0, "No request was sent during the restart.");
            Assert.Contains(during, o => o.Kind == "POST");
            // Every referral answered 201 exists once: no POST was applied twice by a retry, none lost after its answer.
            await using var session = nodes[0].Services.GetRequiredService<IDocumentStore>().QuerySession(council.Code);
            var referred = await session.Events.QueryRawEventDataOnly<SituationReferred>().CountAsync(cancellation);
            Assert.Equal(created, referred);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            if (proxy.ErrorLog is { Length: > 0 } log) Console.WriteLine($"[proxy] nginx error log:\n{log}");
        }
    }

    /// <summary>Reloads nginx and waits until its new workers answer (the generation header), so that the old ones no longer take requests.</summary>
    private static async Task ReloadAndWaitAsync(NginxProxy proxy, HttpClient client, int? down)
    {
        await proxy.ReloadAsync(down);
        var expected = proxy.Generation.ToString();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            // A new connection each time: a kept-alive one may still belong to an old worker.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { ConnectionClose = true } };
            using var response = await client.SendAsync(request);
            if (response.Headers.TryGetValues("X-Test-Generation", out var generation) && generation.Single() == expected) return;
            if (waited.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException($"nginx did not reload: {proxy.ErrorLog}");
            await Task.Delay(20);
        }
    }
}
