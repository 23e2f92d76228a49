using System.Diagnostics;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Playwright;
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The auditeur's yearly control (charte, article 19): the control report of the current year « à date » and its DOCX, then
/// the administrative acts filtered by kind; in a real browser (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class AuditeurControlJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Auditeur_reads_the_yearly_control_report_and_the_administrative_acts()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var page = await fixture.SignInAsync(Council.Auditeur);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Journal des accès", Exact = true }).ClickAsync();
        var journalNav = page.GetByRole(AriaRole.Navigation, new() { Name = "Journal des accès" });

        await journalNav.GetByRole(AriaRole.Link, new() { Name = "Rapport annuel de contrôle" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Rapport annuel de contrôle");
        var year = DateTime.UtcNow.Year;
        await page.GetByLabel("Année", new() { Exact = true }).FillAsync(year.ToString());
        await page.GetByLabel("Année en cours, « à date »").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await Expect(page.Locator("h2#rapport")).ToContainTextAsync($"Rapport annuel de contrôle {year} — à date du");
        await Expect(page.Locator("table caption", new() { HasText = "Synthèse" })).ToHaveCountAsync(1);
        var docx = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Télécharger le rapport (DOCX)" }).ClickAsync());
        Assert.EndsWith(".docx", docx.SuggestedFilename);
        Assert.Contains($"Rapport annuel de contrôle {year}", DocxText(await docx.PathAsync()));
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "auditeur-rapport-annuel");

        await journalNav.GetByRole(AriaRole.Link, new() { Name = "Actes d'administration" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Actes d'administration");
        await page.GetByLabel("Type d'acte").SelectOptionAsync(new SelectOptionValue { Label = "Membres du conseil (inscription, départ)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        var acts = page.Locator("table.table--journal");
        await Expect(acts.Locator("caption")).ToContainTextAsync("les plus anciens d'abord");
        await Expect(page.GetByLabel("Type d'acte")).ToHaveValueAsync(CaseExchange.Journal.AdministrativeActs.AdministrativeActKinds.Members);
        await Expect(acts.Locator("tbody tr", new() { HasText = "Membre animateur" }).First).ToContainTextAsync("Coordonnatrice Test");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "auditeur-actes-administratifs");
        Console.WriteLine($"[browser] auditeur control journey (control report, administrative acts): {timer.Elapsed.TotalSeconds:F1} s");
    }
}
