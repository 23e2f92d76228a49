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

namespace CaseExchange.Tests.Web;

/// <summary>
/// The journeys of the issue, end to end in a real browser against the real service and PostgreSQL. Each one saves a
/// screenshot under artifacts/screenshots/; the README shows them.
/// </summary>
public sealed class JourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Membre_signs_the_charter_logs_a_situation_finds_it_anonymised_and_opens_its_file_with_a_purpose()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var page = await fixture.SignInAsync(BrowserFixture.NewMember);

        // Not signed yet: every page says so and leads to the charter.
        await Expect(page.Locator("main")).ToContainTextAsync("Vous n'avez pas signé la charte déontologique en vigueur");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Lire et signer la charte" }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Charte déontologique et règlement intérieur");
        await Expect(page.Locator("article.charter-text")).ToContainTextAsync("Article 11 — Signature préalable de la charte");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("J'ai lu la charte déontologique").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Signer la charte" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Vous avez signé la charte, version");

        // The referral form: first sent empty, the errors come back in French, listed at the top and by each field.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Signaler une situation" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Signaler une situation");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("Cochez au moins un motif de signalement.");
        await Expect(summary).ToContainTextAsync("Indiquez au moins une personne concernée.");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Le résumé des faits est obligatoire." })).ToHaveAttributeAsync("href", "#Input_Facts");
        await Expect(page.Locator("#Input_Facts")).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "membre-formulaire-erreurs");

        // One more person block, without JavaScript: the form comes back with a fourth block and no error.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter une personne" }).ClickAsync();
        await Expect(page.Locator("legend", new() { HasText = "Personne 4" })).ToBeVisibleAsync();
        await Expect(page.Locator(".error-summary")).ToHaveCountAsync(0);

        await page.GetByLabel("Décrochage ou absentéisme scolaire").CheckAsync();
        await page.GetByLabel("Errance, présence prolongée sur l'espace public").CheckAsync();
        await page.GetByLabel("Secteur", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Quartier nord" });
        await page.GetByLabel("Prioritaire").CheckAsync();
        await page.Locator("#Input_Persons_0__Nom").FillAsync("Zorglubovitch-Navigateur");
        await page.Locator("#Input_Persons_0__Prenom").FillAsync("Philomène");
        await page.Locator("#Input_Persons_0__DateNaissance").FillAsync("2011-05-14");
        await page.Locator("#Input_Persons_0__Sexe").SelectOptionAsync("F");
        await page.Locator("#Input_Persons_0__Adresse").FillAsync("17 impasse des Quetzals");
        await page.Locator("#Input_Persons_1__Role").SelectOptionAsync("representant-legal");
        await page.Locator("#Input_Persons_1__Nom").FillAsync("Zorglubovitch-Navigateur");
        await page.Locator("#Input_Persons_1__Prenom").FillAsync("Anselme");
        await page.Locator("#Input_Persons_1__DateNaissance").FillAsync("1980-02-29");
        await page.GetByLabel("Faits").FillAsync("Absences répétées depuis la rentrée, signalées par le collège (faits fictifs Navigateur).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();

        var notice = page.Locator("[role=status]");
        await Expect(notice).ToContainTextAsync("est enregistrée");
        var pseudonym = Regex.Match(await notice.InnerTextAsync(), @"S-\d{4}-\d{4}").Value;
        Assert.NotEmpty(pseudonym);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Situation {pseudonym}");
        Assert.DoesNotContain("Zorglubovitch", await page.ContentAsync());

        // The anonymised list: the pseudonym and coarse attributes, no name.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Situations", Exact = true }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = pseudonym });
        await Expect(row).ToContainTextAsync("Décrochage ou absentéisme scolaire");
        await Expect(row).ToContainTextAsync("13 à 15 ans, 25 ans et plus");
        Assert.DoesNotContain("Zorglubovitch", await page.ContentAsync());
        await Accessibility.AssertAsync(page);

        // The full file, after stating a purpose; the answer says the consultation is recorded and is never cached.
        await row.GetByRole(AriaRole.Link, new() { Name = pseudonym }).ClickAsync();
        await Expect(page.Locator("form.panel")).ToContainTextAsync("journal des accès");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Motif de la consultation").SelectOptionAsync(new SelectOptionValue { Label = "Préparation d'une séance du groupe" });
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier nominatif" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/situations/"));
        Assert.Equal(200, response.Status);
        Assert.Contains("no-store", (await response.AllHeadersAsync())["cache-control"]);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Dossier nominatif — {pseudonym}");
        var recorded = page.Locator("[role=status]");
        await Expect(recorded).ToContainTextAsync("Consultation enregistrée — motif : Préparation d'une séance du groupe");
        await Expect(recorded).ToContainTextAsync(CaseExchange.Journal.JournalNotice.Text);
        await Expect(page.Locator("main")).ToContainTextAsync("Philomène Zorglubovitch-Navigateur");
        await Expect(page.Locator("main")).ToContainTextAsync("14 mai 2011");
        await Expect(page.Locator("main")).ToContainTextAsync("faits fictifs Navigateur");
        Assert.DoesNotContain("Zorglubovitch", page.Url);
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "membre");
        Console.WriteLine($"[browser] membre journey: {timer.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Referent_sees_the_follow_ups_with_due_dates_and_overdue_actions_and_records_one()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var (situation, _) = await fixture.Steps.FollowedUpAsync(Council.Referent);
        await AddOverdueActionAsync(situation);
        var pseudonym = (await fixture.Service.GetJsonAsync<System.Text.Json.JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{situation}"))
            .GetProperty("pseudonym").GetString()!;

        var page = await fixture.SignInAsync(Council.Referent);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Mes suivis" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mes suivis");
        var followUp = page.Locator("section.panel", new() { HasText = pseudonym });
        await Expect(followUp).ToContainTextAsync("Prise de contact avec la famille");
        await Expect(followUp).ToContainTextAsync(Display(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30))));
        var overdue = followUp.Locator("tr.row--overdue");
        await Expect(overdue).ToContainTextAsync("Point de situation au groupe");
        await Expect(overdue).ToContainTextAsync("En retard");
        await Expect(page.Locator("main")).ToContainTextAsync("1 action a dépassé son échéance.");
        await Accessibility.AssertAsync(page);

        await followUp.GetByRole(AriaRole.Link, new() { Name = "Enregistrer un point de suivi" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Enregistrer un point de suivi — {pseudonym}");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Prise de contact avec la famille").CheckAsync();
        await page.GetByLabel("État de l'action").SelectOptionAsync(new SelectOptionValue { Label = "Réalisée" });
        await page.GetByLabel("Note de suivi").FillAsync("Famille rencontrée au CCAS le 3 mars (fictif).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le point de suivi" }).ClickAsync();

        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Point de suivi enregistré pour {pseudonym}");
        followUp = page.Locator("section.panel", new() { HasText = pseudonym });
        await Expect(followUp.Locator("tr", new() { HasText = "Prise de contact avec la famille" })).ToContainTextAsync("Réalisée");
        await Expect(followUp.Locator("tr.row--overdue")).ToContainTextAsync("En retard");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "referent");
        Console.WriteLine($"[browser] référent journey: {timer.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Coordonnateur_creates_a_group_adds_a_member_with_a_role_and_registers_a_member()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var page = await fixture.SignInAsync(Council.Coordonnateur);

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Membres" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Membres du conseil");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nom et prénom").FillAsync("Yvonne Médiatrice");
        await page.GetByLabel("Organisation").FillAsync("Association de médiation");
        await page.GetByLabel("Fonction").FillAsync("Médiatrice sociale");
        await page.GetByLabel("Identifiant de connexion").FillAsync("web.mediatrice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le membre" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Yvonne Médiatrice est inscrit(e)");
        await Expect(page.Locator("tbody tr", new() { HasText = "Yvonne Médiatrice" })).ToContainTextAsync("Non signée");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Groupes de travail" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Groupes de travail");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nom du groupe").FillAsync("GT Tranquillité publique");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Territorial" }).CheckAsync();
        await page.GetByLabel("Secteur (groupe territorial seulement)").SelectOptionAsync(new SelectOptionValue { Label = "Quartier sud" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le groupe" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le groupe « GT Tranquillité publique » est créé");
        await Expect(page.Locator("h1")).ToHaveTextAsync("GT Tranquillité publique");

        await page.GetByLabel("Membre du conseil").SelectOptionAsync(new SelectOptionValue { Label = "Yvonne Médiatrice — Association de médiation, Médiatrice sociale" });
        await page.GetByLabel("Rôle dans le groupe").SelectOptionAsync(new SelectOptionValue { Label = "Animateur du groupe" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter au groupe" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Yvonne Médiatrice a rejoint le groupe.");
        await page.GetByLabel("Membre du conseil").SelectOptionAsync(new SelectOptionValue { Label = "Membre membre-a — Éducation nationale, Fonction" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter au groupe" }).ClickAsync();
        var members = page.Locator("main table tbody");
        await Expect(members.Locator("tr", new() { HasText = "Yvonne Médiatrice" }).Locator("select")).ToHaveValueAsync("animateur");
        await Expect(members.Locator("tr", new() { HasText = "Membre membre-a" }).Locator("select")).ToHaveValueAsync("membre");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-groupes");

        // Roles change and members leave; then the session ends.
        var row = members.Locator("tr", new() { HasText = "Membre membre-a" });
        await row.GetByLabel("Rôle de Membre membre-a").SelectOptionAsync("animateur");
        await row.GetByRole(AriaRole.Button, new() { Name = "Changer le rôle de Membre membre-a" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le rôle de Membre membre-a est maintenant « Animateur du groupe »");
        await members.Locator("tr", new() { HasText = "Yvonne Médiatrice" }).GetByRole(AriaRole.Button, new() { Name = "Retirer Yvonne Médiatrice du groupe" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le membre a quitté le groupe");
        await Expect(members.Locator("tr", new() { HasText = "Yvonne Médiatrice" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Vous êtes déconnecté(e).");
        var afterSignOut = await page.GotoAsync($"/c/{Council.Code}/groupes");
        Assert.Contains("/connexion", afterSignOut!.Url);
        Console.WriteLine($"[browser] coordonnateur journey: {timer.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Coordonnateur_prepares_a_seance_records_attendance_and_an_examination_closes_it_and_establishes_an_anonymised_CR()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var person = TestPerson.Distinctive("Seance");
        var (_, pseudonym) = await Council.ReferAsync(fixture.Service, person, $"Faits FaitsSecretsAbc concernant {person.Prenom} {person.Nom}.");
        await ReferEnoughForStatisticsAsync();
        var mustNotLeave = Leaks.Of(person).Concat(Leaks.Secrets).ToList();

        var page = await fixture.SignInAsync(Council.Coordonnateur);
        // The partner directory: an organisation that names a person known to the council is refused without repeating it.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Partenaires" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Annuaire des partenaires");
        await Expect(page.Locator("tbody tr", new() { HasText = "Prévention spécialisée" })).ToContainTextAsync("Éducateur de prévention spécialisée");
        await page.GetByLabel("Nom de l'organisation").FillAsync($"Famille {person.Nom}");
        await page.GetByLabel("Fonction").SelectOptionAsync(new SelectOptionValue { Label = "Médiateur" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le partenaire" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Le nom de l'organisation désigne une personne connue du conseil");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nom de l'organisation").FillAsync("Association de quartier");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le partenaire" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Association de quartier (Médiateur) figure désormais à l'annuaire des partenaires.");
        await Expect(page.Locator("tbody tr", new() { HasText = "Association de quartier" })).ToContainTextAsync("Médiateur");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Accueil" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Préparer les séances" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Séances");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Groupe de travail", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "GT A (détenteur)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await Expect(page.Locator("main h2").First).ToHaveTextAsync("Séances du groupe « GT A (détenteur) »");

        // Scheduled without a date: the use case's French message, by the field. Then today, so that it can be held.
        await page.GetByRole(AriaRole.Button, new() { Name = "Planifier la séance" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("La date de la séance est obligatoire.");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Date de la séance").FillAsync(CaseExchange.Web.Display.Iso(CaseExchange.Web.Display.Today(TimeProvider.System)));
        await page.GetByLabel("Heure").FillAsync("09:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Planifier la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("est planifiée");
        await Expect(page.Locator("h1")).ToContainTextAsync("Séance du");
        await Accessibility.AssertAsync(page);

        // The ODJ: the situation placed on it, anonymised; then published.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Inscrire {pseudonym} à l'ordre du jour" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"La situation {pseudonym} est inscrite à l'ordre du jour.");
        var item = page.Locator("section", new() { Has = page.Locator("#odj") }).Locator("tbody tr", new() { HasText = pseudonym });
        await Expect(item).ToContainTextAsync("16 à 17 ans");
        await Expect(item).ToContainTextAsync("Décrochage ou absentéisme scolaire");
        await Expect(item).ToContainTextAsync("Quartier nord");
        await Expect(item).ToContainTextAsync("Prioritaire");
        await Expect(item).ToContainTextAsync("À examiner");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publier l'ordre du jour" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("L'ordre du jour est publié (1 situation)");
        Leaks.AssertNone(await page.ContentAsync(), mustNotLeave, "the séance page");

        // Attendance: a member who has not signed the charter is refused at the nominative part, with the rule.
        await page.GetByLabel("Partie nominative : Membre animateur").CheckAsync();
        await page.GetByLabel("Partie nominative : Membre membre-a").CheckAsync();
        await page.GetByLabel("Partie nominative : Membre sans-signature").CheckAsync();
        await page.GetByLabel("Partie générale seulement : Coordonnatrice Test").CheckAsync();
        // Guests are chosen from the council's partner directory: no field where a name could be typed.
        await Expect(page.GetByLabel("Organisation de l'invité 1")).ToHaveCountAsync(0);
        await page.GetByLabel("Partenaire invité 1 (annuaire du conseil)").SelectOptionAsync(new SelectOptionValue { Label = "Association de quartier — Médiateur" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la présence" }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("Ce membre n'a pas signé la charte en vigueur : il ne peut assister qu'à la partie générale (règlement intérieur, article 8).");
        var refusedRow = page.Locator("tbody tr", new() { HasText = "Membre sans-signature" });
        await Expect(refusedRow.Locator(".field-error")).ToContainTextAsync("n'a pas signé la charte en vigueur");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Partie générale seulement : Membre sans-signature").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la présence" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Présence enregistrée : 2 à la partie nominative, 2 à la partie générale seulement, 1 invité.");

        // The examination: nominative free texts, sealed by the use case; decisions from the charter's list.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Enregistrer l'examen de {pseudonym}" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Examen de {pseudonym}");
        await Expect(page.Locator("main")).ToContainTextAsync("Texte nominatif : il est chiffré avant d'être enregistré");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'examen" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Le résumé des échanges est obligatoire.");
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Indiquez au moins une décision.");
        await page.GetByLabel("Résumé des échanges").FillAsync($"SecretDeSeanceXyz : {person.Prenom} a repris le chemin du collège.");
        await page.GetByLabel("Orientation vers un dispositif ou un partenaire", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Détail de la décision « Orientation vers un dispositif ou un partenaire » (facultatif, nominatif)").FillAsync("DetailDecisionSecretQwz");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'examen" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"L'examen de {pseudonym} est enregistré.");
        await Expect(page.Locator("main")).ToContainTextAsync("Décisions : Orientation vers un dispositif ou un partenaire.");
        Assert.DoesNotContain("SecretDeSeanceXyz", await page.ContentAsync());

        // The follow-up: a référent of the group, an action with its owner and due date.
        await page.GetByLabel("Référent").SelectOptionAsync(new SelectOptionValue { Label = "Membre referent — Prévention spécialisée" });
        await page.Locator("#Suivi_Actions_0__Kind").SelectOptionAsync(new SelectOptionValue { Label = "Prise de contact avec la famille" });
        await Expect(page.Locator("#Suivi_Actions_0__OwnerOrganisation")).ToHaveCountAsync(0);
        await page.Locator("#Suivi_Actions_0__OwnerPartnerId").SelectOptionAsync(new SelectOptionValue { Label = "Prévention spécialisée — Éducateur de prévention spécialisée" });
        await page.Locator("#Suivi_Actions_0__DueOn").FillAsync(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)).ToString("yyyy-MM-dd"));
        await page.Locator("#Suivi_Actions_0__Description").FillAsync("DescriptionActionSecrete");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confier le suivi" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Le suivi de {pseudonym} est confié (1 action).");
        await Expect(page.Locator("#odj ~ table tbody tr", new() { HasText = pseudonym })).ToContainTextAsync("Examinée");
        Leaks.AssertNone(await page.ContentAsync(), mustNotLeave, "the séance page after the examination");
        await Screenshots.SaveAsync(page, "coordonnateur");

        await page.GetByRole(AriaRole.Button, new() { Name = "Clore la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La séance est close.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la présence" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Établir le compte rendu anonymisé" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Compte rendu anonymisé");
        await Accessibility.AssertAsync(page);

        // A text naming the person is refused: the field is shown, never the value nor which kind of identity matched.
        await page.GetByLabel("Synthèse générale (facultative)").FillAsync($"La famille {person.Nom} est accompagnée par le CCAS.");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Établir la version 1" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(page.Locator("[role=alert]").First).ToContainTextAsync("Texte identifiant refusé");
        summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("Le texte « synthèse générale » désigne une personne connue du conseil");
        await Expect(page.Locator("#Input_Synthese")).ToHaveAttributeAsync("aria-invalid", "true");
        var messages = string.Join(" ", [await summary.InnerTextAsync(), .. await page.Locator(".field-error").AllInnerTextsAsync()]);
        Leaks.AssertNone(messages, mustNotLeave, "the refusal messages");
        await Accessibility.AssertAsync(page);

        const string synthese = "Le groupe constate une amélioration de l'assiduité ; la famille est accompagnée par le CCAS.";
        await page.GetByLabel("Synthèse générale (facultative)").FillAsync(synthese);
        await page.GetByLabel($"Note sur la situation {pseudonym} (facultative)").FillAsync("Point d'étape à la prochaine séance.");
        // Markup typed in a text stays text in the preview (and in the files).
        await page.GetByLabel("Prochaines étapes (facultatives)").FillAsync("Le bailleur informera le groupe <b>rapidement</b>.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Établir la version 1" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La version 1 du compte rendu est établie.");
        var preview = page.Locator("article.cr");
        await Expect(preview).ToContainTextAsync(pseudonym);
        await Expect(preview).ToContainTextAsync(synthese);
        await Expect(preview).ToContainTextAsync("Orientation vers un dispositif ou un partenaire");
        await Expect(preview).ToContainTextAsync("Prévention spécialisée (Éducateur de prévention spécialisée)");
        await Expect(preview).ToContainTextAsync("Association de quartier — Médiateur");
        await Expect(preview).ToContainTextAsync("Le bailleur informera le groupe <b>rapidement</b>.");
        await Expect(preview.Locator("b")).ToHaveCountAsync(0);
        Leaks.AssertNone(await page.ContentAsync(), [.. mustNotLeave, "Membre animateur", "Membre membre-a"], "the CR page");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-compte-rendu");

        // The downloads are the API's files: the pseudonym, no identity value, no sealed text.
        foreach (var (format, extension) in new[] { ("Word (DOCX)", ".docx"), ("page web (HTML)", ".html"), ("texte (Markdown)", ".md") })
        {
            var link = page.Locator("main table tbody tr", new() { HasText = "Version 1" }).GetByRole(AriaRole.Link, new() { Name = format });
            var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            Assert.EndsWith(extension, download.SuggestedFilename);
            var path = await download.PathAsync();
            var text = extension == ".docx" ? DocxText(path) : await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            Assert.Contains(pseudonym, text);
            Assert.Contains("la famille est accompagnée par le CCAS", text);
            Leaks.AssertNone(text, mustNotLeave, $"the CR as {extension}");
        }

        // The plenary statistics: tables, suppressed cells explained, a chart drawn on the server.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Statistiques" }).ClickAsync();
        await ExpectStatisticsAsync(page);
        Console.WriteLine($"[browser] coordonnateur journey (séance, CR, statistics): {timer.Elapsed.TotalSeconds:F1} s");
    }

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
        await Expect(flagged).ToContainTextAsync("Signalé");
        await Expect(flagged).ToContainTextAsync("Accès accordé alors que les règles de la charte, rejouées à cet instant, le refusent.");
        var legitimate = table.Locator("tbody tr", new() { HasText = "Membre membre-a" });
        await Expect(legitimate).ToContainTextAsync("Ouverture du dossier nominatif");
        await Expect(legitimate).ToContainTextAsync("Motif : Préparation d'une séance du groupe");
        await Expect(legitimate).ToContainTextAsync("Légitime");
        var refusal = table.Locator("tbody tr", new() { HasText = "Refusé" });
        await Expect(refusal).ToContainTextAsync("Seuls les membres du groupe de travail qui détient cette situation peuvent en consulter le dossier nominatif.");
        await Expect(refusal).ToContainTextAsync("Légitime");
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

    [Fact]
    public async Task President_sees_the_plenary_statistics_and_nothing_else()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        await ReferEnoughForStatisticsAsync();
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

    /// <summary>
    /// Statistics publish nothing under the charter's threshold, and closed months only: enough situations referred in the
    /// last closed month for tables to appear, two of them in the south so that some cells are suppressed.
    /// </summary>
    private async Task ReferEnoughForStatisticsAsync()
    {
        var referrals = Enumerable.Range(0, 6).Select(i => (object)new
        {
            groupId = Council.GroupA, reasons = new[] { "decrochage-scolaire", "errance" }, sector = i < 4 ? "nord" : "sud", urgency = "normale",
            persons = new[] { TestPerson.Distinctive($"Stat{i}").AsRequest("personne-suivie") }, facts = $"Faits fictifs statistiques {i}",
        });
        await PastReferrals.ReferAsync(fixture.Service, Council.MemberOfHoldingGroup, Council.Api, referrals);
    }

    /// <summary>The statistics page: every table, a suppressed cell and its explanation, a chart described in words, no CSP violation.</summary>
    private static async Task ExpectStatisticsAsync(IPage page)
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

    private static string DocxText(string path)
    {
        using var document = WordprocessingDocument.Open(path, false);
        return string.Join("\n", document.MainDocumentPart!.Document!.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }

    /// <summary>Time has passed: an action whose due date is behind us (the use case refuses past dates when assigning).</summary>
    private async Task AddOverdueActionAsync(Guid situationId)
    {
        var keys = fixture.Service.Services.GetRequiredService<SituationKeys>();
        await using var session = fixture.Service.Store.LightweightSession(Council.Code);
        var cipher = await keys.SealerForAsync(session, situationId);
        var now = DateTimeOffset.UtcNow;
        // Through FetchForWriting, like the use cases, so that the snapshot's version follows the stream's.
        var stream = await session.Events.FetchForWriting<Situation>(situationId);
        stream.AppendOne(new FollowUpAssigned(situationId, Council.Id(Council.Referent),
            [new PlannedAction(Guid.CreateVersion7(), "point-situation", "Prévention spécialisée", "Éducateur",
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(-3), cipher.Seal(SealedFields.ActionDescription, "Point fictif en retard"))],
            Council.Id(Council.Coordonnateur), now));
        await session.SaveChangesAsync();
    }

    private static string Display(DateOnly date) => CaseExchange.Web.Display.Date(date);
}
