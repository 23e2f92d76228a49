using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// An intercommunal council, from the pages only: the coordonnateur creates a cellule de veille and changes an instance's
/// kind, sets the commune of two sectors, registers a member and designates him maire of one commune; the maire then sees
/// his commune's statistics and nothing else. On a council of its own (its communes would change the other journeys'
/// statistics), in the journeys' service and Chromium (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class IntercommunalJourneyTests(BrowserFixture fixture)
{
    private const string Valence = "Valence";
    private const string Bourg = "Bourg-lès-Valence";

    [Fact]
    public async Task Coordonnateur_sets_kinds_communes_and_a_maire_who_then_sees_his_communes_figures_only()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var council = await TestCouncil.CreateAsync(fixture.Service, "web-communes");
        // Six situations in each sector in the last closed month: figures above the charter's threshold in both communes.
        var referrals = Enumerable.Range(0, 12).Select(i => (object)new
        {
            groupId = council.GroupA, reasons = new[] { "errance" }, sector = i < 6 ? "nord" : "sud", urgency = "normale",
            persons = new[] { TestPerson.Distinctive($"Commune{i}").AsRequest("personne-suivie") }, facts = $"Faits fictifs {i}",
        });
        await PastReferrals.ReferAsync(fixture.Service, council.MemberOfHoldingGroup, council.Api, referrals);

        var page = await SignInAsync(council, council.Coordonnateur);
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu du conseil" });

        // An instance of kind « cellule de veille », its rules on its page; then its kind changed.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Groupes de travail" }).ClickAsync();
        await page.GetByLabel("Nom du groupe").FillAsync("Cellule de veille du centre");
        await page.GetByLabel("Type d'instance").SelectOptionAsync(new SelectOptionValue { Label = "Cellule de veille (sans situation nominative)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le groupe" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Cellule de veille du centre");
        var rules = page.Locator("dl.summary");
        await Expect(rules).ToContainTextAsync("Type d'instanceCellule de veille");
        await Expect(rules).ToContainTextAsync("Président ou présidente de la cellule");
        await Expect(rules).ToContainTextAsync("non : seulement des points non nominatifs de partie générale");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-instances");
        await page.GetByLabel("Type d'instance", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Groupe opérationnel" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Changer le type" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le groupe est maintenant de type « Groupe opérationnel »");
        await Expect(rules).ToContainTextAsync("Président ou présidente du groupe");
        await Expect(rules).ToContainTextAsync("2 jours au moins");
        await Expect(rules).ToContainTextAsync("oui, sous la charte");
        await Accessibility.AssertAsync(page);

        // The communes of the two sectors: a blank one refused, the field marked; then both set.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Communes et maires" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Communes et maires");
        await Expect(page.Locator("main")).ToContainTextAsync("Aucun secteur n'indique encore sa commune");
        await Accessibility.AssertAsync(page);
        var nord = page.GetByLabel("Commune du secteur Quartier nord");
        await nord.FillAsync("   ");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la commune du secteur Quartier nord" }).ClickAsync(),
            r => r.Url.Contains("/communes") && r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Le nom de la commune est obligatoire.");
        await Expect(nord).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertAsync(page);
        await nord.FillAsync(Valence);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la commune du secteur Quartier nord" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Le secteur « Quartier nord » est rattaché à la commune de {Valence}.");
        await page.GetByLabel("Commune du secteur Quartier sud").FillAsync(Bourg);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la commune du secteur Quartier sud" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"rattaché à la commune de {Bourg}.");
        var sectors = page.Locator("table", new() { Has = page.Locator("caption", new() { HasText = "Secteurs du conseil et leur commune" }) });
        await Expect(sectors.Locator("tbody tr", new() { HasText = "Quartier nord" }).Locator("td").First).ToHaveTextAsync(Valence);
        await Expect(sectors.Locator("tbody tr", new() { HasText = "Quartier sud" }).Locator("td").First).ToHaveTextAsync(Bourg);

        // The future maire is registered, then designated: without a commune the form is refused and keeps the member chosen.
        var maireSubject = $"{council.Code}.maire-valence";
        await menu.GetByRole(AriaRole.Link, new() { Name = "Membres" }).ClickAsync();
        await page.GetByLabel("Nom et prénom").FillAsync("Marcel Édile");
        await page.GetByLabel("Organisation").FillAsync("Mairie de Valence");
        await page.GetByLabel("Fonction").FillAsync("Maire");
        await page.GetByLabel("Identifiant de connexion").FillAsync(maireSubject);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le membre" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Marcel Édile est inscrit(e)");
        await menu.GetByRole(AriaRole.Link, new() { Name = "Communes et maires" }).ClickAsync();
        await page.GetByLabel("Membre à désigner").SelectOptionAsync(new SelectOptionValue { Label = "Marcel Édile — Mairie de Valence, Maire" });
        var noCommune = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Désigner le maire" }).ClickAsync(),
            r => r.Url.Contains("/communes") && r.Request.Method == "POST");
        Assert.Equal(400, noCommune.Status);
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Indiquez la commune.");
        await Expect(page.GetByLabel("Membre à désigner").Locator("option:checked")).ToHaveTextAsync("Marcel Édile — Mairie de Valence, Maire");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Commune", new() { Exact = true }).SelectOptionAsync(Valence);
        await page.GetByRole(AriaRole.Button, new() { Name = "Désigner le maire" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Marcel Édile est désigné(e) maire de {Valence}");
        var maires = page.Locator("table", new() { Has = page.Locator("caption", new() { HasText = "Le maire désigné de chaque commune" }) });
        await Expect(maires.Locator("tbody tr", new() { Has = page.Locator("th", new() { HasTextRegex = new Regex($"^{Valence}$") }) })).ToContainTextAsync("Marcel Édile");
        await Expect(maires.Locator("tbody tr", new() { HasText = Bourg })).ToContainTextAsync("aucun");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-communes");

        // The maire: his commune's figures only, nothing nominative in his menu, the situations refused.
        var maire = await SignInAsync(council, maireSubject);
        var items = await maire.GetByRole(AriaRole.Navigation, new() { Name = "Menu du conseil" }).GetByRole(AriaRole.Link).AllInnerTextsAsync();
        Assert.Equal(["Accueil", "Statistiques", "Charte"], items.Select(m => m.Trim()));
        await Accessibility.AssertAsync(maire);
        await maire.GetByRole(AriaRole.Navigation, new() { Name = "Menu du conseil" }).GetByRole(AriaRole.Link, new() { Name = "Statistiques" }).ClickAsync();
        await Expect(maire.Locator("main")).ToContainTextAsync($"Vous êtes désigné(e) maire de {Valence}");
        await Expect(maire.Locator("table.table--statistics").First).ToBeVisibleAsync();
        await Expect(maire.Locator("main")).ToContainTextAsync("Quartier nord");
        var html = await maire.ContentAsync();
        Assert.DoesNotContain(Bourg, html);
        Assert.DoesNotContain(System.Net.WebUtility.HtmlEncode(Bourg), html);
        Assert.DoesNotContain("Quartier sud", html);
        Assert.DoesNotContain("Situations par commune", html);
        await Accessibility.AssertAsync(maire);
        await Screenshots.SaveAsync(maire, "maire-statistiques");

        var situations = await maire.GotoAsync($"/c/{council.Code}/situations");
        Assert.Equal(403, situations!.Status);
        await Expect(maire.Locator("h1")).ToHaveTextAsync("Accès refusé");
        await Accessibility.AssertNoTechnicalDetailAsync(maire);
        await Accessibility.AssertAsync(maire);
        Console.WriteLine($"[browser] intercommunal journey: {timer.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Signs in through the sign-in page, as <see cref="BrowserFixture.SignInAsync"/> does, onto this journey's own council.</summary>
    private async Task<IPage> SignInAsync(TestCouncil council, string subject)
    {
        var page = await fixture.NewPageAsync();
        await PageTimes.RecordAsync(page, subject[(subject.LastIndexOf('.') + 1)..]);
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Identifiant du membre").FillAsync(subject);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/c/{Regex.Escape(council.Code)}$"));
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        return page;
    }
}
