using System.Net;
using System.Security.Cryptography;
using CaseExchange.Protection;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Benchmarks.Service;

/// <summary>
/// The real service (Program, with every middleware, endpoint and background service) on one of the run's databases,
/// optionally on Kestrel on a loopback port for the HTTP figures. Settings are production's except where the run needs
/// otherwise: a key ring certificate and a development token issuer of the run's own, no demo seed, and the hourly
/// retention sweep and the checkpoint timer out of the way of the measurements.
/// </summary>
public sealed class BenchService : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private BenchService(WebApplicationFactory<Program> factory, Uri? baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
    }

    public IServiceProvider Services => _factory.Services;
    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The Kestrel address, when started with <c>kestrel: true</c>.</summary>
    public Uri? BaseAddress { get; }

    public static BenchService Start(string connectionString, bool kestrel)
    {
        // Program ends with RunJasperFxCommands: without this the factory's host is built but never started.
        JasperFxEnvironment.AutoStartHost = true;
        // The factory finds the service's content root through MvcTestingAppManifest.json in the current directory,
        // as under a test runner; `dotnet run` starts in the repository instead.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            // Neither Development nor Production: JSON logs as in production, development sign-in allowed.
            builder.UseEnvironment("Benchmark");
            builder.UseSetting("ConnectionStrings:CaseExchange", connectionString);
            builder.UseSetting("Protection:KeyRingCertificatePath", Secrets.KeyRingCertificate);
            builder.UseSetting("Authentication:DevelopmentSignIn:Enabled", "true");
            builder.UseSetting("Authentication:DevelopmentSignIn:SigningKey", Secrets.SigningKey);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("Retention:Enabled", "false");
            builder.UseSetting("Journal:CheckpointInterval", "1.00:00:00");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            // The fail-closed figure makes the journal refuse hundreds of entries on purpose: one error line each.
            builder.UseSetting("Logging:LogLevel:CaseExchange.Journal.AccessJournal", "None");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", "None");
            builder.UseSetting("Logging:LogLevel:Wolverine.Configuration.HandlerDiscovery", "Error"); // HTTP endpoints only, no handlers
            builder.UseSetting("Logging:LogLevel:CaseExchange.Hosting.ParameterFreeMartenLogger", "Error"); // same, for the refused inserts
        });
        if (kestrel) factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        Uri? address = null;
        if (kestrel)
        {
            var listening = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            address = new Uri(listening.TrimEnd('/') + "/");
        }
        return new BenchService(factory, address);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static class Secrets
    {
        private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"caseexchange-bench-{Environment.ProcessId}");

        private static readonly Lazy<string> Certificate = new(() =>
        {
            var path = Path.Combine(Folder, "keyring.pfx");
            if (!File.Exists(path)) KeyRing.CreateDevelopmentCertificate(path);
            return path;
        });

        public static string KeyRingCertificate => Certificate.Value;

        public static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        public static void Delete()
        {
            try
            {
                if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover throwaway certificate in the temporary folder; nothing of value.
            }
        }
    }

    public static void DeleteSecrets() => Secrets.Delete();
}
