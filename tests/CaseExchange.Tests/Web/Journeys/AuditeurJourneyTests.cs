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
/// The auditeur: filters the journal, sees the replayed verdicts, verifies its integrity and exports it.
/// In a real browser against the real service, like every journey (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class AuditeurJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Auditeur_filters_the_journal_sees_the_replayed_verdicts_verifies_its_integrity_and_exports_it()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var person = TestPerson.Distinctive("Audit");
        var (situation, pseudonym) = await Council.ReferAsync(fixture.Service, person, "Faits FaitsSecretsAbc Audit");
        await Answers.ExpectAsync(await fixture.Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, situation), 200);
        await Answers.ExpectAsync(await fixture.Service.OpenFileAsync(Council, Council.MemberOfOtherGroup, situation), 403);
        // As a bug would have done: a well-formed, correctly chained entry granting the file to a member of another group.
        await fixture.Service.Services.GetRequiredService<AccessJournal>().AppendAsync(Council.Code, new JournalRequest(
            JournalActions.FileOpening, situation, pseudonym, Council.Id(Council.MemberOfOtherGroup), Council.MemberOfOtherGroup, "suivi",
            null, null, true, null), TestContext.Current.CancellationToken);
        var mustNotLeave = Leaks.Of(person).Append("FaitsSecretsAbc").ToList();

        var page = await fixture.SignInAsync(Council.Auditeur);
        await page.GetByRole(AriaRole.Link, new() { Name = "Contrôler le journal des accès" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Journal des accès");
        await Accessibility.AssertAsync(page);

        await page.GetByLabel("Pseudonyme de la situation").FillAsync(pseudonym);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        var table = page.Locator("table.table--journal");
        await Expect(table.Locator("caption")).ToContainTextAsync("3 entrées");
        var flagged = table.Locator("tbody tr.row--flagged");
        await Expect(flagged).ToHaveCountAsync(1);
        await Expect(flagged).ToContainTextAsync("Membre membre-b");
        await Expect(flagged).ToContainTextAsync("Accordé");
        await Expect(flagged).ToContainTextAsync("À examiner");
        await Expect(flagged).ToContainTextAsync("Accès accordé alors que les règles de la charte, rejouées à cet instant, le refusent.");
        var legitimate = table.Locator("tbody tr", new() { HasText = "Membre membre-a" });
        await Expect(legitimate).ToContainTextAsync("Ouverture du dossier nominatif");
        await Expect(legitimate).ToContainTextAsync("Motif : Préparation d'une séance du groupe");
        await Expect(legitimate).ToContainTextAsync("Accès conforme");
        var refusal = table.Locator("tbody tr", new() { HasText = "Refusé" });
        await Expect(refusal).ToContainTextAsync("Seuls les membres du groupe de travail qui détient cette situation peuvent en consulter le dossier nominatif.");
        await Expect(refusal).ToContainTextAsync("Refus conforme");
        await Expect(table).Not.ToContainTextAsync("Légitime");
        Leaks.AssertNone(await page.ContentAsync(), mustNotLeave, "the journal page");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "auditeur");

        // The same filter, exported: the API's CSV, with the verdicts and nothing nominative.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Exporter ces entrées (CSV)" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("horodatage_utc;pseudonyme;", lines[0].TrimStart('\uFEFF'));
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.Contains(pseudonym, line));
        Assert.Single(lines, line => line.Contains(";signale;"));
        Leaks.AssertNone(csv, mustNotLeave, "the CSV export");

        // Filters by member and by period.
        await page.GetByLabel("Membre", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Membre membre-b — Bailleur social" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Expect(table.Locator("caption")).ToContainTextAsync("2 entrées");
        var today = CaseExchange.Web.Display.Today(TimeProvider.System);
        await page.GetByLabel("Du", new() { Exact = true }).FillAsync(CaseExchange.Web.Display.Iso(today));
        await page.GetByLabel("Au (inclus)").FillAsync(CaseExchange.Web.Display.Iso(today));
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Expect(table.Locator("caption")).ToContainTextAsync("2 entrées");
        await page.GetByLabel("Du", new() { Exact = true }).FillAsync("2020-01-01");
        await page.GetByLabel("Au (inclus)").FillAsync("2020-12-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Aucune entrée ne correspond à ces filtres.");

        // The integrity of the chain, then the checkpoints it sealed.
        await page.GetByRole(AriaRole.Link, new() { Name = "Vérification de l'intégrité" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Vérification du journal des accès");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lancer la vérification" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Journal intègre.");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Points de scellement" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Points de scellement du journal");
        Assert.True(await page.Locator("main table tbody tr").CountAsync() >= 1);
        await Accessibility.AssertAsync(page);

        // Auditors see no séance, CR or statistics.
        var forbidden = await page.GotoAsync($"/c/{Council.Code}/statistiques");
        Assert.Equal(403, forbidden!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Accès refusé");
        Console.WriteLine($"[browser] auditeur journey: {timer.Elapsed.TotalSeconds:F1} s");
    }
}
