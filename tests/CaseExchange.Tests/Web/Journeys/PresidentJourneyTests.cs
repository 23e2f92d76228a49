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
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The président: the plenary statistics and nothing else.
/// In a real browser against the real service, like every journey (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class PresidentJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task President_sees_the_plenary_statistics_and_nothing_else()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        await ReferEnoughForStatisticsAsync(fixture);
        await fixture.Steps.ExaminedAsync();

        var page = await fixture.SignInAsync(Council.President);
        var menu = await page.GetByRole(AriaRole.Navigation, new() { Name = "Menu du conseil" }).GetByRole(AriaRole.Link).AllInnerTextsAsync();
        Assert.Equal(["Accueil", "Statistiques", "Charte"], menu.Select(m => m.Trim()));
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Consulter les statistiques plénières" }).ClickAsync();
        await ExpectStatisticsAsync(page);

        // A period is whole months; an impossible one is refused by the field.
        var lastClosed = PastReferrals.LastClosedMonth;
        var year = lastClosed.Year;
        await page.GetByLabel("Du mois").FillAsync($"{year}-03");
        await page.GetByLabel("Au mois (inclus)").FillAsync($"{year}-01");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Afficher la période" }).ClickAsync(), r => r.Url.Contains("/statistiques"));
        Assert.Equal(400, refused.Status);
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("La fin de la période précède son début.");
        await Expect(page.Locator("#Au")).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Du mois").FillAsync($"{year}-01");
        await page.GetByLabel("Au mois (inclus)").FillAsync(lastClosed.ToString("yyyy-MM"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher la période" }).ClickAsync();
        await Expect(page.Locator("main h2").First).ToHaveTextAsync(new Regex($"^Du 1 janvier {year} au "));
        await ExpectStatisticsAsync(page);
        // The current month is never published: the field says so.
        var current = CaseExchange.Web.Display.Today(TimeProvider.System).ToString("yyyy-MM");
        await page.GetByLabel("Du mois").FillAsync(current);
        await page.GetByLabel("Au mois (inclus)").FillAsync(current);
        var thisMonth = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Afficher la période" }).ClickAsync(), r => r.Url.Contains("/statistiques"));
        Assert.Equal(400, thisMonth.Status);
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("le mois en cours n'est jamais publié");
        var month = lastClosed.ToString("yyyy-MM");
        await page.GetByLabel("Du mois").FillAsync(month);
        await page.GetByLabel("Au mois (inclus)").FillAsync(month);
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher la période" }).ClickAsync();
        await Expect(page.Locator("table.table--statistics").Nth(2).Locator("tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "statistiques");

        // Nothing nominative, nor anonymised situations, is reachable from the président's role.
        foreach (var path in new[] { "/situations", "/seances", "/journal" })
        {
            var response = await page.GotoAsync($"/c/{Council.Code}{path}");
            Assert.Equal(403, response!.Status);
            await Expect(page.Locator("h1")).ToHaveTextAsync("Accès refusé");
            await Expect(page.Locator("main")).ToContainTextAsync("Votre rôle ne permet pas cette action selon la charte.");
            await Accessibility.AssertNoTechnicalDetailAsync(page);
        }
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "president-refus");
        Console.WriteLine($"[browser] président journey: {timer.Elapsed.TotalSeconds:F1} s");
    }
}
