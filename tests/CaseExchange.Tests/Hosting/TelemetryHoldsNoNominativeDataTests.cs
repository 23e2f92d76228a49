using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CaseExchange.Tests.Hosting;

/// <summary>
/// Traces and metrics go to tools outside the charter's perimeter (an OTLP collector, Prometheus): no span name, tag or
/// event, no metric name or label, may ever carry a value typed about a person.
/// </summary>
public sealed class TelemetryHoldsNoNominativeDataTests
{
    [Fact]
    public async Task Spans_and_metrics_of_referrals_openings_and_searches_hold_no_nominative_value()
    {
        var exportedSpans = new List<Activity>();
        var exportedMetrics = new List<Metric>();
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("telemetrie");
        await using var service = await TestService.StartAsync(database,
            settings: new Dictionary<string, string?> { ["Observability:Prometheus"] = "true" },
            services: s =>
            {
                s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exportedSpans));
                s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(exportedMetrics));
            });
        var council = await TestCouncil.CreateAsync(service, "telemetrie");
        var person = TestPerson.Distinctive("Telemetrie");
        const string facts = "Faits singuliers Quetzalcoatl-Telemetrie";
        var (id, _) = await council.ReferAsync(service, person, facts);
        var file = await service.PostJsonAsync<JsonElement>(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" });
        Assert.Equal(facts, file.GetProperty("facts").GetString());
        // A name in a query string (as a search would send it), on a page and on the API.
        await service.GetAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations?q={Uri.EscapeDataString(person.Nom)}");
        var scrape = await (await service.Client.GetAsync($"/metrics?nom={Uri.EscapeDataString(person.Nom)}")).Content.ReadAsStringAsync();

        service.Services.GetRequiredService<TracerProvider>().ForceFlush();
        service.Services.GetRequiredService<MeterProvider>().ForceFlush();
        // The exporters keep appending (background agents): read copies, never the lists they write to.
        var spans = Snapshot(exportedSpans);
        var metrics = Snapshot(exportedMetrics);
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Contains(spans, s => s.Source.Name == "Npgsql");
        Assert.NotEmpty(metrics);
        Assert.Contains("http_server_request_duration", scrape);

        // Query strings are dropped whole (the instrumentation's own redaction keeps the parameter names).
        lock (spans) Assert.DoesNotContain(spans, s => s.GetTagItem("url.query") is not null);

        var everything = new StringBuilder(scrape);
        lock (spans)
            foreach (var span in spans)
            {
                everything.AppendLine(span.DisplayName).AppendLine(span.OperationName).AppendLine(span.StatusDescription);
                foreach (var tag in span.TagObjects) everything.AppendLine($"{tag.Key}={tag.Value}");
                foreach (var e in span.Events)
                {
                    everything.AppendLine(e.Name);
                    foreach (var tag in e.Tags) everything.AppendLine($"{tag.Key}={tag.Value}");
                }
                foreach (var baggage in span.Baggage) everything.AppendLine($"{baggage.Key}={baggage.Value}");
            }
        foreach (var metric in metrics)
        {
            everything.AppendLine(metric.Name);
            foreach (ref readonly var point in metric.GetMetricPoints())
                foreach (var tag in point.Tags) everything.AppendLine($"{tag.Key}={tag.Value}");
        }
        var dump = everything.ToString();
        foreach (var value in new[] { person.Nom, person.Prenom, person.Adresse, person.Courriel, person.Telephone, "Quetzalcoatl", person.DateNaissance.ToString("yyyy-MM-dd") })
            Assert.DoesNotContain(value, dump);
    }

    private static List<T> Snapshot<T>(List<T> live)
    {
        while (true)
        {
            try { return [.. live.ToArray()]; }
            catch (ArgumentException) { } // the list grew while it was copied: copy again
        }
    }
}
