using System.Diagnostics;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;
using Microsoft.Playwright;
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The coordonnateur's « À faire », the information of the persons concerned (informed, then a deferral with its reason and
/// review date), the séance's paperwork (place, general part, convocation, feuille d'émargement, reschedule, cancel) and her
/// notification preferences: with mouse and keyboard, in a real browser (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class CoordonnateurPaperworkJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    /// <summary>The file behind a visible link, fetched with the browser's session: an attachment, read as DOCX text.</summary>
    private static async Task<string> DocxOfLinkAsync(IPage page, ILocator link)
    {
        await Expect(link).ToBeVisibleAsync();
        var response = await page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("attachment", response.Headers["content-disposition"]);
        Assert.Contains(".docx", response.Headers["content-disposition"]);
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.docx");
        await File.WriteAllBytesAsync(path, await response.BodyAsync(), TestContext.Current.CancellationToken);
        try { return DocxText(path); }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Coordonnateur_settles_her_to_do_list_records_notices_prepares_the_seance_paperwork_and_sets_her_notifications()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var informed = TestPerson.Distinctive("Avise");
        var deferred = TestPerson.Distinctive("Differe");
        var (_, informedPseudonym) = await Council.ReferAsync(fixture.Service, informed, "Faits fictifs de l'information");
        var (_, deferredPseudonym) = await Council.ReferAsync(fixture.Service, deferred, "Faits fictifs du report");
        var mustNotLeave = Leaks.Of(informed).Concat(Leaks.Of(deferred)).ToList();
        var page = await fixture.SignInAsync(Council.Coordonnateur);
        var main = page.Locator("main");

        // « À faire »: the persons to inform, by pseudonym only, each line linking to the page that settles it.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "À faire", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("À faire");
        await Expect(main).ToContainTextAsync("Tous les groupes de travail du conseil");
        var notices = page.Locator("section#" + CaseExchange.Councils.ToDo.ToDoKinds.PendingNotice);
        await Expect(notices.Locator("li", new() { HasText = informedPseudonym })).ToContainTextAsync("personne suivie à informer");
        await Expect(notices.Locator("li", new() { HasText = deferredPseudonym })).ToHaveCountAsync(1);
        await Expect(page.Locator("section#" + CaseExchange.Councils.ToDo.ToDoKinds.NotExamined)).ToContainTextAsync(informedPseudonym);
        Leaks.AssertNone(await page.ContentAsync(), mustNotLeave, "the to-do page");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-a-faire");

        // The information notice: recorded « informée le … par … ».
        await notices.GetByRole(AriaRole.Link, new() { Name = $"Informer ou différer : {informedPseudonym}" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Information des personnes concernées — {informedPseudonym}");
        await Expect(main).ToContainTextAsync("Pas encore informée.");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Moyen").SelectOptionAsync(new SelectOptionValue { Label = "Courrier" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'information" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Information de la personne enregistrée.");
        await Expect(main).ToContainTextAsync($"Informée le {Display(CaseExchange.Web.Display.Today(TimeProvider.System))} par Coordonnatrice Test (courrier).");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Différer l'information" })).ToHaveCountAsync(0);
        Leaks.AssertNone(await page.ContentAsync(), mustNotLeave, "the information page");

        // A deferral: a reason from the closed list and a review date, from the keyboard.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "À faire", Exact = true }).ClickAsync();
        await Expect(notices.Locator("li", new() { HasText = informedPseudonym })).ToHaveCountAsync(0);
        await notices.GetByRole(AriaRole.Link, new() { Name = $"Informer ou différer : {deferredPseudonym}" }).ClickAsync();
        await page.GetByLabel("Motif du report").SelectOptionAsync(new SelectOptionValue { Label = "Enquête en cours" });
        var review = CaseExchange.Web.Display.Today(TimeProvider.System).AddDays(30);
        await page.GetByLabel("Date de réexamen").FillAsync(review.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Date de réexamen").PressAsync("Enter");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Report de l'information enregistré.");
        await Expect(main).ToContainTextAsync($"Information différée par Coordonnatrice Test (enquête en cours) jusqu'au {Display(review)}.");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "information");

        // The séance's paperwork: place, a general item, the convocation and the feuille d'émargement, a reschedule, a cancellation.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Séances", Exact = true }).ClickAsync();
        await page.GetByLabel("Groupe de travail", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "GT A (détenteur)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        var date = CaseExchange.Web.Display.Today(TimeProvider.System).AddDays(20);
        await page.GetByLabel("Date de la séance").FillAsync(date.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Heure").FillAsync("14:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Planifier la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("est planifiée");
        await Expect(main).ToContainTextAsync("Indiquez d'abord le lieu de la séance");

        await page.GetByLabel("Lieu de la séance").FillAsync("Mairie, salle du conseil");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le lieu" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La séance aura lieu : Mairie, salle du conseil.");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Inscrire {informedPseudonym} à l'ordre du jour" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"La situation {informedPseudonym} est inscrite à l'ordre du jour.");

        // The general part: nothing typed is kept when refused (no kind chosen); then a non-nominative item.
        await page.GetByLabel("Intitulé du point (sans nom de personne)").FillAsync("Regroupements en soirée près du gymnase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le point" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Intitulé du point (sans nom de personne)")).ToHaveValueAsync("Regroupements en soirée près du gymnase");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nature du point").SelectOptionAsync(new SelectOptionValue { Label = "Phénomène observé" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le point" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le point est inscrit à la partie générale de l'ordre du jour.");
        await Expect(main).ToContainTextAsync("Phénomène observé : Regroupements en soirée près du gymnase");

        await page.GetByRole(AriaRole.Button, new() { Name = "Établir la convocation" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La convocation n° 1 est établie");
        var convocationText = await DocxOfLinkAsync(page, page.Locator("a[href*='handler=Convocation'][href*='format=docx']"));
        Assert.Contains("Lieu : Mairie, salle du conseil", convocationText);
        Assert.Contains("Regroupements en soirée près du gymnase", convocationText);
        Assert.Contains(informedPseudonym, convocationText);
        Assert.Contains("Rappel de la charte déontologique", convocationText);
        Leaks.AssertNone(convocationText, mustNotLeave, "the convocation");
        Leaks.AssertNone(await DocxOfLinkAsync(page, page.Locator("a[href*='handler=Emargement'][href*='format=docx']")), mustNotLeave, "the feuille d'émargement");
        Leaks.AssertNone(await page.ContentAsync(), mustNotLeave, "the séance page");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-seance-documents");

        var moved = date.AddDays(7);
        await page.GetByLabel("Nouvelle date").FillAsync(moved.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Motif du report").SelectOptionAsync(new SelectOptionValue { Label = "Salle indisponible" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Reporter la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"La séance est reportée au {Display(moved)}");
        await Expect(main).ToContainTextAsync("après un report, établissez-en une nouvelle");
        await page.GetByLabel("Motif de l'annulation").SelectOptionAsync(new SelectOptionValue { Label = "Remplacée par une autre séance" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Annuler la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La séance est annulée.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Établir la convocation" })).ToHaveCountAsync(0);
        await Accessibility.AssertAsync(page);

        // Her notification preferences: an address, one kind turned off; kept as saved.
        await page.GetByRole(AriaRole.Link, new() { Name = "Mes notifications" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mes notifications par courriel");
        await page.GetByLabel("Mon adresse électronique professionnelle (facultative)").FillAsync("coordination@mairie.example");
        await page.GetByLabel("Un suivi m'est confié").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer mes préférences" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Vos préférences de notification sont enregistrées.");
        await Expect(page.GetByLabel("Mon adresse électronique professionnelle (facultative)")).ToHaveValueAsync("coordination@mairie.example");
        await Expect(page.GetByLabel("Un suivi m'est confié")).Not.ToBeCheckedAsync();
        await Expect(page.GetByLabel("L'ordre du jour d'une séance de l'un de mes groupes est publié")).ToBeCheckedAsync();
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "preferences");
        Console.WriteLine($"[browser] coordonnateur paperwork journey (à faire, notices, séance paperwork, preferences): {timer.Elapsed.TotalSeconds:F1} s");
    }
}
