using System.Diagnostics;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;
using Microsoft.Playwright;
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The président publishes the plenary report of a fixed period that has ended, then downloads it by clicking its link:
/// a valid DOCX (OpenXML validator) that holds no identity value of the persons the council follows.
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class PresidentReportsJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task President_publishes_a_fixed_period_report_and_downloads_a_valid_docx_without_identity()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var person = TestPerson.Distinctive("Rapport");
        await Council.ReferAsync(fixture.Service, person, "Faits fictifs FaitsSecretsAbc du rapport");
        var page = await fixture.SignInAsync(Council.President);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Statistiques" }).ClickAsync();
        var reports = page.Locator("section", new() { Has = page.Locator("h2#rapports") });
        await Expect(reports.Locator("h2")).ToHaveTextAsync("Rapports pléniers publiés");

        // The first period offered (the most recent one that has ended, never the current one).
        var period = await page.Locator("#Periode option").First.GetAttributeAsync("value");
        Assert.False(string.IsNullOrEmpty(period));
        var label = (await page.Locator("#Periode option").First.InnerTextAsync()).Trim();
        await page.GetByLabel("Période à publier").SelectOptionAsync(period!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Publier le rapport" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Le rapport « {label} » est publié");
        var row = reports.Locator("tbody tr", new() { HasText = label });
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveCountAsync(3);
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "president-rapports");

        var download = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { Name = $"DOCX — {label}" }).ClickAsync());
        Assert.EndsWith(".docx", download.SuggestedFilename);
        var path = await download.PathAsync();
        DocxValidity.AssertValid(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), "the plenary report");
        var text = DocxText(path);
        Assert.Contains(label, text);
        Leaks.AssertNone(text, [.. Leaks.Of(person), .. Leaks.Secrets], "the plenary report (DOCX)");

        PageTimes.Print("président reports");
        Console.WriteLine($"[browser] président reports journey: {timer.Elapsed.TotalSeconds:F1} s");
    }
}
