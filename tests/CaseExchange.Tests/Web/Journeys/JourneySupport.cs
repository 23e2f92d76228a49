using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using CaseExchange.Tests.Seances;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The journeys of the issue, end to end in a real browser against the real service and PostgreSQL, one file per
/// journey: they share one service on Kestrel and one Chromium (<see cref="BrowserFixture"/>), one journey at a time.
/// Each one saves a screenshot under artifacts/screenshots/; the README shows them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class JourneysCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Journeys";
}

/// <summary>What several journeys need: statistics worth publishing, an overdue action, the text of a DOCX, a French date.</summary>
public static class JourneySupport
{
    /// <summary>
    /// Statistics publish nothing under the charter's threshold, and closed months only: enough situations referred in the
    /// last closed month for tables to appear, two of them in the south so that some cells are suppressed.
    /// </summary>
    public static async Task ReferEnoughForStatisticsAsync(BrowserFixture fixture)
    {
        var referrals = Enumerable.Range(0, 6).Select(i => (object)new
        {
            groupId = fixture.Council.GroupA, reasons = new[] { "decrochage-scolaire", "errance" }, sector = i < 4 ? "nord" : "sud", urgency = "normale",
            persons = new[] { TestPerson.Distinctive($"Stat{i}").AsRequest("personne-suivie") }, facts = $"Faits fictifs statistiques {i}",
        });
        await PastReferrals.ReferAsync(fixture.Service, fixture.Council.MemberOfHoldingGroup, fixture.Council.Api, referrals);
    }

    /// <summary>The statistics page: every table, a suppressed cell and its explanation, a chart described in words, no CSP violation.</summary>
    public static async Task ExpectStatisticsAsync(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy")) violations.Add(message.Text); };
        // The page reached first (a click's navigation may still be under way: reloading then detached the page once in CI),
        // then loaded again with the console listened to.
        await Expect(page.Locator("h1")).ToHaveTextAsync("Statistiques plénières");
        await page.ReloadAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Statistiques plénières");
        await Expect(page.Locator("table.table--statistics")).ToHaveCountAsync(5);
        var reasons = page.Locator("section.statistics", new() { Has = page.Locator("h3", new() { HasText = "Situations par motif de signalement" }) });
        await Expect(reasons.Locator("tbody tr", new() { HasText = "Décrochage ou absentéisme scolaire" }).Locator("td")).ToHaveTextAsync(new Regex(@"^\d+$"));
        var chart = reasons.Locator("svg[role=img]");
        await Expect(chart.Locator("title")).ToHaveTextAsync("Graphique : Situations par motif de signalement");
        await Expect(chart.Locator("desc")).ToContainTextAsync("Le tableau ci-dessus fait référence.");
        Assert.True(await chart.Locator("rect").CountAsync() > 0);
        // Few situations were examined: the delays' table has suppressed cells, shown as such and explained.
        await Expect(page.Locator("td.suppressed").First).ToHaveTextAsync("secret statistique");
        await Expect(page.Locator("main")).ToContainTextAsync("« Secret statistique » : case occultée parce que son effectif est inférieur à 5");
        await Accessibility.AssertAsync(page);
        Assert.Empty(violations);
    }

    public static string DocxText(string path)
    {
        using var document = WordprocessingDocument.Open(path, false);
        return string.Join("\n", document.MainDocumentPart!.Document!.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }

    /// <summary>Time has passed: an action whose due date is behind us (the use case refuses past dates when assigning).</summary>
    public static async Task AddOverdueActionAsync(BrowserFixture fixture, Guid situationId)
    {
        var keys = fixture.Service.Services.GetRequiredService<SituationKeys>();
        await using var session = fixture.Service.Store.LightweightSession(fixture.Council.Code);
        var cipher = await keys.SealerForAsync(session, situationId);
        var now = DateTimeOffset.UtcNow;
        // Through FetchForWriting, like the use cases, so that the snapshot's version follows the stream's.
        var stream = await session.Events.FetchForWriting<Situation>(situationId);
        stream.AppendOne(new FollowUpAssigned(situationId, fixture.Council.Id(fixture.Council.Referent),
            [new PlannedAction(Guid.CreateVersion7(), "point-situation", "Prévention spécialisée", "Éducateur",
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(-3), cipher.Seal(SealedFields.ActionDescription, "Point fictif en retard"))],
            fixture.Council.Id(fixture.Council.Coordonnateur), now));
        await session.SaveChangesAsync();
    }

    public static string Display(DateOnly date) => CaseExchange.Web.Display.Date(date);
}

/// <summary>
/// Page times as felt: each page a journey loads (a goto, a click on a link, a form posted and its redirect) reports, from
/// inside Chromium, the time from the start of its navigation to the end of its load event (Navigation Timing). A figure
/// to read, never an assertion: the machine the journeys run on is shared.
/// </summary>
public static partial class PageTimes
{
    private const string Binding = "__caseExchangePageTime";

    private static readonly ConcurrentQueue<(string Page, string Role, double Ms)> Recorded = new();

    /// <summary>Records every page <paramref name="page"/> loads from now on, under <paramref name="role"/>.</summary>
    public static async Task RecordAsync(IPage page, string role)
    {
        await page.ExposeFunctionAsync<string, double, bool>(Binding, (path, ms) =>
        {
            Recorded.Enqueue((Route(path), role, ms));
            return true;
        });
        await page.AddInitScriptAsync($$"""
            window.addEventListener('load', () => setTimeout(() => {
              const n = performance.getEntriesByType('navigation')[0];
              if (n && n.loadEventEnd > 0 && window.{{Binding}}) window.{{Binding}}(location.pathname, Math.round(n.loadEventEnd - n.startTime));
            }, 0));
            """);
    }

    /// <summary>The route rather than the address: ids and the council's code replaced, so that one page is one row.</summary>
    public static string Route(string path) =>
        Guids().Replace(Council().Replace(path, "/c/{c}"), "{id}");

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guids();

    [GeneratedRegex("^/c/[^/]+")]
    private static partial Regex Council();

    /// <summary>The table so far (page, role, loads, median and slowest in ms), for the test output and the README.</summary>
    public static string Table()
    {
        var rows = Recorded.ToArray().GroupBy(r => (r.Page, r.Role)).OrderBy(g => g.Key.Page, StringComparer.Ordinal).ThenBy(g => g.Key.Role, StringComparer.Ordinal);
        var table = new StringBuilder("| Page | Role | Loads | Median (ms) | Slowest (ms) |\n|---|---|---:|---:|---:|\n");
        foreach (var g in rows)
        {
            var times = g.Select(r => r.Ms).Order().ToList();
            var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
            table.Append(CultureInfo.InvariantCulture, $"| `{g.Key.Page}` | {g.Key.Role} | {times.Count} | {median:F0} | {times[^1]:F0} |\n");
        }
        return table.ToString();
    }

    /// <summary>Prints the table in the test output (the journeys that call it print what every journey run so far measured).</summary>
    public static void Print(string journey)
    {
        // Load events are reported asynchronously from the page: give the last one a moment to arrive.
        Thread.Sleep(200);
        Console.WriteLine($"[browser] page times as felt, after the {journey} journey:\n{Table()}");
    }

    /// <summary>Writes the table of the whole run next to the screenshots (artifacts/page-times.md).</summary>
    public static void Save()
    {
        if (Recorded.IsEmpty) return;
        Directory.CreateDirectory(Screenshots.Folder);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(Screenshots.Folder)!, "page-times.md"), Table());
    }
}
