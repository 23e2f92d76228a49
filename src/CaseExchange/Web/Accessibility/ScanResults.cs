using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseExchange.Web.Accessibility;

/// <summary>
/// What the accessibility scan of the browser tests found (tests/…/Web/Accessibility/AccessibilityScanTests): every page
/// of the service opened by every role that reaches it, checked by axe-core against WCAG 2.1 A/AA (the base of RGAA 4.1).
/// The scan writes <c>scan-results.json</c> beside this file; the service embeds it and the déclaration d'accessibilité
/// renders it.
/// </summary>
public sealed record ScanResults(
    DateOnly Date,
    string Engine,
    bool FullAudit,
    IReadOnlyList<ScannedPage> Pages,
    IReadOnlyList<string> RulesPassed,
    IReadOnlyList<KnownViolation> Violations)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The results committed with this build of the service.</summary>
    public static ScanResults Committed { get; } = Load();

    private static ScanResults Load()
    {
        using var stream = typeof(ScanResults).Assembly.GetManifestResourceStream("CaseExchange.Web.Accessibility.scan-results.json")
                           ?? throw new InvalidOperationException("The accessibility scan's results are not embedded in the service.");
        return JsonSerializer.Deserialize<ScanResults>(stream, Json) ?? throw new InvalidOperationException("Empty accessibility scan results.");
    }

    public int CountOf(string impact) => Violations.Where(v => v.Impact == impact).Sum(v => v.Pages.Count);
}

/// <summary>A page (its route) and the roles whose view of it was scanned.</summary>
public sealed record ScannedPage(string Route, IReadOnlyList<string> Roles);

/// <summary>An axe-core rule failed on some pages, with its impact (minor, moderate, serious, critical).</summary>
public sealed record KnownViolation(string Rule, string Impact, string Help, IReadOnlyList<string> Pages);

/// <summary>The conformity state, in RGAA's own words, and the footer's mention.</summary>
public static class Conformity
{
    /// <summary>
    /// RGAA 4.1: « totalement conforme » needs every criterion met in an audit, « partiellement conforme » at least half,
    /// « non conforme » otherwise or without a valid audit. An automated scan checks only part of the criteria: without
    /// a full audit the service never says more than « partiellement conforme », and a serious or critical violation
    /// left makes it « non conforme ».
    /// </summary>
    public static string State(ScanResults results) =>
        results.Violations.Any(v => v.Impact is "serious" or "critical") ? "non conforme"
        : results.FullAudit && results.Violations.Count == 0 ? "totalement conforme"
        : "partiellement conforme";

    public static string Impact(string impact) => impact switch
    {
        "critical" => "critique",
        "serious" => "grave",
        "moderate" => "modérée",
        "minor" => "mineure",
        _ => impact,
    };
}
