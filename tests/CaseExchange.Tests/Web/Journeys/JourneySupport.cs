using System.Diagnostics;
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
