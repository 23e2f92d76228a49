using System.Diagnostics;
using CaseExchange.Journal.Alerts;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using CaseExchange.Tests.Seances;
using CaseExchange.Tests.Situations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The auditeur meets what the journal raises: a member opens one file more often than the threshold in an hour (provoked
/// here through the API), and the alerts page names the member and the situation's pseudonym; then the coordonnateur's
/// import of the spreadsheet appears in the administrative acts, counts only.
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class AuditeurAlertsJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Auditeur_sees_a_mass_opening_alert_and_the_import_s_administrative_act()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var person = TestPerson.Distinctive("Alerte");
        var (situation, pseudonym) = await Council.ReferAsync(fixture.Service, person, "Faits fictifs de l'alerte");
        for (var i = 0; i <= JournalAlertRules.MassOpeningThreshold; i++)
            await Answers.ExpectAsync(await fixture.Service.OpenFileAsync(Council, Council.Referent, situation), 200);
        var imported = TestPerson.Distinctive("Importee");
        var sheet = SheetFiles.Csv([
            ["groupe", "motifs", "secteur", "urgence", "nom", "prénom", "date de naissance", "faits"],
            ["GT A (détenteur)", "errance", "nord", "normale", imported.Nom, imported.Prenom, imported.DateNaissance.ToString("dd/MM/yyyy"), "Errance signalée"],
            ["GT A (détenteur)", "curiosite", "nord", "normale", "Sansmotif", "Refus", "01/02/2010", "Motif inconnu"],
        ]);
        await Answers.ExpectAsync(await fixture.Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/imports", SheetFiles.Upload(sheet, "tableur.csv")), 200);

        var page = await fixture.SignInAsync(Council.Auditeur);
        var main = page.Locator("main");
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Journal des accès", Exact = true }).ClickAsync();
        var journalNav = page.GetByRole(AriaRole.Navigation, new() { Name = "Journal des accès" });
        await journalNav.GetByRole(AriaRole.Link, new() { Name = "Alertes" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Alertes du journal");
        var alert = page.Locator("table.table--journal tbody tr", new() { HasText = "Membre referent" }).Filter(new() { HasText = "Ouvertures en nombre" });
        await Expect(alert).ToHaveCountAsync(1);
        await Expect(alert.GetByRole(AriaRole.Link, new() { Name = pseudonym })).ToBeVisibleAsync();
        await Expect(alert.Locator("td").Nth(2)).ToHaveTextAsync((JournalAlertRules.MassOpeningThreshold + 1).ToString());
        Leaks.AssertNone(await main.InnerTextAsync(), Leaks.Of(person), "the journal's alerts");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "auditeur-alertes");

        await journalNav.GetByRole(AriaRole.Link, new() { Name = "Actes d'administration" }).ClickAsync();
        await page.GetByLabel("Type d'acte").SelectOptionAsync(new SelectOptionValue { Label = "Import du tableur existant" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        var act = page.Locator("table.table--journal tbody tr", new() { HasText = "Import effectué" }).Last;
        await Expect(act).ToContainTextAsync("2 ligne(s) lue(s), 1 acceptée(s), 1 refusée(s) ; 1 situation(s) créée(s)");
        await Expect(act).ToContainTextAsync("Coordonnatrice Test");
        Leaks.AssertNone(await main.InnerTextAsync(), [.. Leaks.Of(imported), "Sansmotif", "Errance signalée"], "the administrative acts");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "auditeur-acte-import");

        PageTimes.Print("auditeur alerts");
        Console.WriteLine($"[browser] auditeur alerts journey (alerts, import act): {timer.Elapsed.TotalSeconds:F1} s");
    }
}
