using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CaseExchange.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics of ASP.NET Core, Npgsql, Marten and Wolverine, exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>Observability:OtlpEndpoint</c>) is set, and a Prometheus scrape endpoint
/// (<c>/metrics</c>) when <c>Observability:Prometheus</c> is true. Nothing nominative leaves: query strings are dropped
/// (a search may carry a name), exception messages and status descriptions too (a database error may quote a row);
/// routes carry ids only and SQL text carries parameters' placeholders, never their values.
/// </summary>
public static class Observability
{
    public const string ServiceName = "caseexchange";
    public static readonly string[] Sources = ["Npgsql", "Marten", "Wolverine"];
    public const string PrometheusPath = "/metrics";

    public static void AddCaseExchangeObservability(this WebApplicationBuilder builder)
    {
        var otlp = builder.Configuration["Observability:OtlpEndpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var prometheus = builder.Configuration.GetValue<bool>("Observability:Prometheus");
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.RecordException = false)
                    .AddSource(Sources)
                    .AddProcessor(new ScrubNominativeCarriers());
                if (!string.IsNullOrWhiteSpace(otlp)) tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(Sources);
                if (!string.IsNullOrWhiteSpace(otlp)) metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                if (prometheus) metrics.AddPrometheusExporter();
            });
    }

    public static void MapCaseExchangeObservability(this WebApplication app)
    {
        // Metrics carry no nominative value, but they describe the service: let the reverse proxy not forward this path.
        if (app.Configuration.GetValue<bool>("Observability:Prometheus"))
            app.MapPrometheusScrapingEndpoint(PrometheusPath).AllowAnonymous();
    }

    /// <summary>Drops, at the end of every span, what could carry a person's name: query strings, error texts.</summary>
    public sealed class ScrubNominativeCarriers : BaseProcessor<Activity>
    {
        private static readonly string[] Dropped = ["url.query", "http.url", "url.full", "exception.message", "exception.stacktrace", "db.parameters"];

        public override void OnEnd(Activity activity)
        {
            foreach (var tag in Dropped) activity.SetTag(tag, null);
            if (activity.GetTagItem("http.target") is string target && target.Contains('?'))
                activity.SetTag("http.target", target[..target.IndexOf('?')]);
            if (activity.StatusDescription is not null) activity.SetStatus(activity.Status);
        }
    }
}
