using System.Diagnostics;
using System.Text.Json;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The coordonnateur with only a browser: closes a situation whose action is still running (refused, then stated),
/// transfers one, orders an erasure, orders the rectification of an identity, answers a right of access with its printable document, suspends a member and lifts
/// the suspension. Only the starting point (situations at their step, a member) is set up through the API.
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class CoordonnateurCasesJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Coordonnateur_closes_transfers_erases_answers_a_right_of_access_and_suspends_a_member_in_the_browser()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var running = await fixture.Steps.FollowedUpAsync(Council.Referent);
        var toTransfer = await fixture.Steps.ReferredAsync();
        var toErase = await fixture.Steps.ReferredAsync();
        var toRectify = await fixture.Steps.ReferredAsync();
        var person = TestPerson.Distinctive("Parcours");
        var (accessed, accessedPseudonym) = await Council.ReferAsync(fixture.Service, person, "Faits fictifs du parcours");
        await fixture.Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members",
            new { subject = "web.suspendu", displayName = "Gaston Suspendu", organisation = "Bailleur social", function = "Gardien", councilRoles = Array.Empty<string>() }, 201);
        var page = await fixture.SignInAsync(Council.Coordonnateur);
        var main = page.Locator("main");

        // Closure: refused while the action runs, the form kept as typed; then stated.
        await page.GotoAsync($"/c/{Council.Code}/situations/{running.Situation}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Clôturer la situation" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Clôturer la situation");
        await Expect(main).ToContainTextAsync("Prise de contact avec la famille — échéance le");
        await page.GetByLabel("Issue de la situation").SelectOptionAsync("relais-dispositif");
        await page.GetByLabel("Commentaire (facultatif)").FillAsync("Relais pris par le dispositif");
        await page.GetByRole(AriaRole.Button, new() { Name = "Clôturer la situation" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("encore en cours");
        await Expect(page.GetByLabel("Commentaire (facultatif)")).ToHaveValueAsync("Relais pris par le dispositif");
        await Expect(page.GetByLabel("Issue de la situation")).ToHaveValueAsync("relais-dispositif");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-cloture");
        await page.GetByLabel("Je clôture la situation malgré ces actions encore en cours").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Clôturer la situation" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("clôturée");
        await Expect(main).ToContainTextAsync("Relais pris par un dispositif de droit commun");

        // Transfer to the other group.
        await page.GotoAsync($"/c/{Council.Code}/situations/{toTransfer}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Transférer à un autre groupe" }).ClickAsync();
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Groupe de destination").SelectOptionAsync(new SelectOptionValue { Label = "GT B (autre)" });
        await page.GetByLabel("Motif du transfert").FillAsync("Relève du secteur sud");
        await page.GetByRole(AriaRole.Button, new() { Name = "Transférer la situation" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("transférée au groupe GT B (autre)");

        // Erasure order: confirmed explicitly.
        await page.GotoAsync($"/c/{Council.Code}/situations/{toErase}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ordonner l'effacement des données nominatives" }).ClickAsync();
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Motif de l'effacement").SelectOptionAsync("decision-de-justice");
        await page.GetByLabel("Référence de la décision (facultative)").FillAsync("Ordonnance numéro 4521");
        await page.GetByLabel("Je confirme que l'effacement des données nominatives de cette situation est définitif").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Effacer les données nominatives" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("ont été effacées");
        await Expect(main).ToContainTextAsync("Les données nominatives de cette situation ont été effacées");

        // Rectification (RGPD, art. 16): refused with a future birth date, the typed name kept; then recorded.
        await page.GotoAsync($"/c/{Council.Code}/situations/{toRectify}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Rectifier une identité" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Rectifier une identité");
        await Expect(page.GetByLabel("Personne 1 — Personne suivie (16 à 17 ans)")).ToBeCheckedAsync();
        await page.GetByLabel("Nom rectifié", new() { Exact = true }).FillAsync("Nomrectifie");
        await page.GetByLabel("Date de naissance rectifiée").FillAsync(DateTime.UtcNow.AddDays(5).ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la rectification" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("ne peut pas être dans le futur");
        await Expect(page.GetByLabel("Nom rectifié", new() { Exact = true })).ToHaveValueAsync("Nomrectifie");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-rectification");
        await page.GetByLabel("Date de naissance rectifiée").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la rectification" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Rectification enregistrée");

        // Right of access: the person's search, then the printable document.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Droit d'accès" }).ClickAsync();
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nom", new() { Exact = true }).FillAsync(person.Nom);
        await page.GetByLabel("Prénom").FillAsync(person.Prenom);
        await page.GetByLabel("Date de naissance").FillAsync(person.DateNaissance.ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher et établir le document" }).ClickAsync();
        await Expect(page.Locator("article.document")).ToContainTextAsync($"Situation {accessedPseudonym}");
        await Expect(page.Locator("article.document")).ToContainTextAsync("Faits fictifs du parcours");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator(".site-header")).ToBeHiddenAsync();
        await Expect(page.Locator("article.document")).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Télécharger le document (HTML, nouvelle consultation journalisée)" }).ClickAsync());
        Assert.StartsWith("droit-acces-", download.SuggestedFilename);
        Assert.Equal(2, (await fixture.Service.JournalAsyncOf(Council.Code, accessed)).Count(e => e.Action == CaseExchange.Journal.JournalActions.RightOfAccessExport));

        // Suspension, then its lifting, from the members page.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Membres" }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = "Gaston Suspendu" });
        await row.GetByLabel("Motif de la suspension — Gaston Suspendu").SelectOptionAsync("consultation-injustifiee");
        await row.GetByRole(AriaRole.Button, new() { Name = "Suspendre les accès de Gaston Suspendu" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Les accès de Gaston Suspendu sont suspendus à titre conservatoire");
        await Expect(row).ToContainTextAsync("Suspendu");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-suspension");
        await row.GetByLabel("Motif de la levée — Gaston Suspendu").SelectOptionAsync("manquement-non-etabli");
        await row.GetByRole(AriaRole.Button, new() { Name = "Lever la suspension de Gaston Suspendu" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La suspension de Gaston Suspendu est levée");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("Actif");
        Console.WriteLine($"[browser] coordonnateur cases journey: {timer.Elapsed.TotalSeconds:F1} s");
    }
}

internal static class JourneyJournal
{
    public static Task<IReadOnlyList<CaseExchange.Journal.AccessJournalled>> JournalAsyncOf(this TestService service, string council, Guid situation) =>
        CaseExchange.Tests.Journal.JournalTestSupport.JournalAsync(service, council, situation);
}
