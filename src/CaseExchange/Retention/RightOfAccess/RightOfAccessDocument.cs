using System.Net;
using System.Text;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Situations.Referral;
using Marten;

namespace CaseExchange.Retention.RightOfAccess;

/// <summary>
/// NOMINATIVE, IN CLEAR: everything the council holds about one person, to hand over to them. Other persons concerned
/// appear as "autre personne concernée" with their role only, and every free text is masked with the identity index
/// where it names anyone else known to the council; members are named by organisation only.
/// </summary>
[ReturnsNominativeData]
public sealed record RightOfAccessDocument(
    string CouncilName, DateTimeOffset ProducedAt, string Nom, string Prenom, DateOnly DateNaissance,
    IReadOnlyList<HeldSituation> Situations, string Notice)
{
    public override string ToString() => "[document de droit d'accès]";
}

[ReturnsNominativeData]
public sealed record HeldSituation(
    string Pseudonym, string GroupName, string Role, PersonIdentity IdentityAsRecorded, int OtherPersonsConcerned,
    IReadOnlyList<OtherPersonConcerned> OtherPersons,
    DateTimeOffset ReferredAt, string SignallingOrganisation, IReadOnlyList<string> Reasons, string Sector, string Status,
    string Facts, IReadOnlyList<HeldStep> Steps, IReadOnlyList<RecordedAccess> Accesses, DateTimeOffset? ErasureDueAt)
{
    public override string ToString() => $"[situation nominative {Pseudonym}]";
}

[ReturnsNominativeData]
public sealed record HeldStep(DateTimeOffset At, string Label, string? Text, IReadOnlyList<string> Details)
{
    public override string ToString() => "[étape nominative]";
}

/// <summary>Another person of the situation: never identified, only their role.</summary>
public sealed record OtherPersonConcerned(string Label, string Role);

/// <summary>Who consulted the file (as an organisation), when and why: the recipients the person has a right to know.</summary>
public sealed record RecordedAccess(DateTimeOffset At, string Organisation, string Action, string? Purpose, bool Granted);

/// <summary>Builds the right-of-access document from the situations' streams and journal chains.</summary>
public sealed class RightOfAccessDocuments(VaultReader vault, CharterPolicy policy, IdentityIndex index)
{
    public const string OtherPerson = "autre personne concernée";
    public const string MaskedMention = "[autre personne concernée]";

    public const string Notice =
        "Document établi au titre du droit d'accès (RGPD, art. 15). Avant de le remettre, relisez les textes libres : " +
        "ils peuvent mentionner des tiers, dont les informations ne doivent pas être communiquées (art. 15-4).";

    public async Task<RightOfAccessDocument> BuildAsync(IQuerySession session, Council council, AccessRequestInClear request,
        IReadOnlyList<IndexedPerson> matches, IReadOnlyList<Situation> situations, IReadOnlyDictionary<Guid, JournalReceipt> exports,
        DateTimeOffset now, CancellationToken cancellation)
    {
        var held = new List<HeldSituation>();
        foreach (var match in matches)
        {
            var situation = situations.First(s => s.Id == match.SituationId);
            held.Add(await SituationAsync(session, council, situation, match, exports[situation.Id], cancellation));
        }
        return new RightOfAccessDocument(council.Name, now, request.Nom!.Trim(), request.Prenom!.Trim(), request.DateNaissance!.Value,
            [.. held.OrderBy(h => h.ReferredAt)], Notice);
    }

    private async Task<HeldSituation> SituationAsync(IQuerySession session, Council council, Situation situation, IndexedPerson match,
        JournalReceipt export, CancellationToken cancellation)
    {
        var cipher = await vault.OpenAsync(session, export, cancellation);
        var events = await session.Events.FetchStreamAsync(situation.Id, token: cancellation);
        var journal = await session.Events.FetchStreamAsync(JournalChains.ChainOf(situation.Id), token: cancellation);
        var groups = (await session.Query<Group>().ToListAsync(cancellation)).ToDictionary(g => g.Id, g => g.Name);
        var members = (await session.Query<Member>().ToListAsync(cancellation)).ToDictionary(m => m.Id, m => m.Organisation);
        string Organisation(Guid? id) => id is { } known && members.TryGetValue(known, out var organisation) ? organisation : "organisation inconnue";
        string Label(IReadOnlyList<ListEntry> list, string code) => list.LabelOf(code);

        var referral = events.Select(e => e.Data).OfType<SituationReferred>().Single();
        // The persons as they stand: added after the referral or rectified since (RGPD, art. 16).
        var current = Situations.Correction.CurrentPersons.Of(events.Select(e => e.Data),
            sealedIdentity => cipher.OpenJson<PersonIdentity>(SealedFields.PersonIdentity, sealedIdentity),
            sealedCorrection => cipher.OpenJson<Situations.Correction.IdentityCorrection>(SealedFields.IdentityCorrection, sealedCorrection));
        var person = current.Single(p => p.Sealed.PersonId == match.PersonId).Sealed;
        var identity = current.Single(p => p.Sealed.PersonId == match.PersonId).Identity;
        var steps = new List<HeldStep>();
        foreach (var data in events.Select(e => e.Data))
        {
            switch (data)
            {
                case SituationExamined x:
                    steps.Add(new HeldStep(x.At, "Examen en séance du groupe", cipher.Open(SealedFields.DiscussionSummary, x.DiscussionSummary),
                        [.. x.Decisions.Select(d => Label(policy.DecisionKinds, d.Kind) + (d.Detail is null ? "" : " — " + cipher.Open(SealedFields.DecisionDetail, d.Detail)))]));
                    break;
                case FollowUpAssigned f:
                    steps.Add(new HeldStep(f.At, $"Suivi confié à un référent ({Organisation(f.ReferentId)})", null,
                        [.. f.Actions.Select(a => $"{Label(policy.ActionKinds, a.Kind)} — {a.OwnerOrganisation}, {a.OwnerRole}, échéance {a.DueOn:dd/MM/yyyy} : " +
                                                   cipher.Open(SealedFields.ActionDescription, a.Description))]));
                    break;
                case FollowUpRecorded f:
                    steps.Add(new HeldStep(f.At, $"Point de suivi — action {Label(policy.ActionStatuses, f.ActionStatus).ToLowerInvariant()}",
                        cipher.Open(SealedFields.FollowUpNote, f.Note), []));
                    break;
                case SituationTransferred t:
                    steps.Add(new HeldStep(t.At, $"Transfert au groupe « {groups.GetValueOrDefault(t.ToGroupId, "?")} »",
                        cipher.Open(SealedFields.TransferReason, t.Reason), []));
                    break;
                case Situations.Correction.IdentityCorrected c when c.PersonId == match.PersonId:
                    steps.Add(new HeldStep(c.At, "Rectification de l'identité (RGPD, art. 16)", null,
                        [.. c.Fields.Select(Situations.Correction.IdentityFields.Label)]));
                    break;
                case Situations.Correction.FactAddedToSituation f:
                    var fact = cipher.OpenJson<Situations.Correction.DatedFact>(SealedFields.AddedFact, f.Fact);
                    steps.Add(new HeldStep(f.At, $"Fait ajouté (fait du {fact.On:dd/MM/yyyy})", fact.Text, []));
                    break;
                case Situations.Notices.PersonInformed n when n.PersonId == match.PersonId:
                    steps.Add(new HeldStep(n.At, $"Information de la personne le {n.InformedOn:dd/MM/yyyy} ({Label(policy.InformationMeans, n.Means).ToLowerInvariant()})", null, []));
                    break;
                case Situations.Notices.InformationDeferred d when d.PersonId == match.PersonId:
                    steps.Add(new HeldStep(d.At, $"Information différée ({Label(policy.InformationDeferralReasons, d.Reason).ToLowerInvariant()}), à réexaminer le {d.ReviewOn:dd/MM/yyyy}", null, []));
                    break;
                case SituationClosed c:
                    steps.Add(new HeldStep(c.At, $"Clôture — {Label(policy.Outcomes, c.Outcome)}",
                        c.Comment is null ? null : cipher.Open(SealedFields.ClosureComment, c.Comment), []));
                    break;
            }
        }

        var accesses = journal.Select(e => e.Data).OfType<AccessJournalled>()
            .Select(a => new RecordedAccess(a.At, a.Subject == JournalActions.SystemSubject ? "le service (traitement automatique)" : Organisation(a.MemberId),
                JournalActions.Label(a.Action),
                a.Purpose is null ? null : JournalActions.PurposesFor(a.Action, policy).LabelOf(a.Purpose), a.Granted))
            .ToList();

        // Every free text is masked where it names anyone known to the council but the person themself.
        var facts = cipher.Open(SealedFields.Facts, referral.Facts);
        var guard = await index.GuardForAsync(session.TenantId, [facts, .. steps.Select(x => x.Text), .. steps.SelectMany(x => x.Details)],
            excluding: IdentityTerms.OfPerson(identity), cancellation);
        string Masked(string text) => guard.Mask(text, MaskedMention);
        steps = [.. steps.Select(x => x with { Text = x.Text is null ? null : Masked(x.Text), Details = [.. x.Details.Select(Masked)] })];
        var others = current.Where(p => p.Sealed.PersonId != match.PersonId)
            .Select(p => new OtherPersonConcerned(OtherPerson, Label(policy.PersonRoles, p.Sealed.Role))).ToList();

        var birthDates = current.Select(p => (p.Sealed.Role, p.Identity.DateNaissance));
        // The council's own charter version may keep data for less long than the deployment's.
        var retention = policy.For(council).Retention;
        var due = RetentionDates.Due(situation.ClosedAt, RetentionDates.AgeLimitReached(birthDates, referral.At, retention), retention);

        return new HeldSituation(situation.Pseudonym, groups.GetValueOrDefault(situation.GroupId, "?"), Label(policy.PersonRoles, person.Role),
            identity, others.Count, others, referral.At, referral.SignallingOrganisation,
            [.. referral.Reasons.Select(r => Label(policy.ReferralReasons, r))], council.Sectors.FirstOrDefault(s => s.Code == referral.Sector)?.Label ?? referral.Sector,
            SituationStatuses.Label(situation.Status), Masked(facts), steps, accesses, due?.At);
    }
}

/// <summary>NOMINATIVE, IN CLEAR: the document as a printable HTML file; every value is HTML-encoded.</summary>
[ReturnsNominativeData]
public sealed record RightOfAccessHtml(RightOfAccessDocument Document) : IResult
{
    public override string ToString() => "[document de droit d'accès, HTML]";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        httpContext.Response.Headers.CacheControl = "no-store";
        httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"droit-acces-{Document.ProducedAt:yyyy-MM-dd}.html\"";
        await httpContext.Response.WriteAsync(Render(Document), Encoding.UTF8);
    }

    public static string Render(RightOfAccessDocument d)
    {
        static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
        static string Day(DateTimeOffset at) => at.ToString("dd/MM/yyyy");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Droit d'accès — ").Append(E(d.CouncilName))
            .Append("</title><style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}h2{border-top:1px solid #999;padding-top:1rem}</style></head><body>");
        // The same re-reading warning as the JSON answer: the coordonnateur prints this file and must re-read it first.
        html.Append("<aside role=\"note\" class=\"avertissement\"><p><strong>À relire avant remise.</strong> ").Append(E(d.Notice)).Append("</p></aside>");
        html.Append("<h1>Réponse à votre demande d'accès</h1>");
        html.Append("<p>").Append(E(d.CouncilName)).Append(", le ").Append(Day(d.ProducedAt)).Append(".</p>");
        html.Append("<p>Personne concernée : <strong>").Append(E(d.Prenom)).Append(' ').Append(E(d.Nom)).Append("</strong>, née ou né le ")
            .Append(d.DateNaissance.ToString("dd/MM/yyyy")).Append(".</p>");
        if (d.Situations.Count == 0)
            html.Append("<p>Aucune donnée vous concernant n'est détenue par les groupes de travail du conseil.</p>");
        foreach (var s in d.Situations)
        {
            html.Append("<h2>Situation ").Append(E(s.Pseudonym)).Append("</h2><ul>");
            html.Append("<li>Groupe de travail : ").Append(E(s.GroupName)).Append("</li>");
            html.Append("<li>Votre qualité : ").Append(E(s.Role)).Append("</li>");
            html.Append("<li>Signalée le ").Append(Day(s.ReferredAt)).Append(" par : ").Append(E(s.SignallingOrganisation)).Append("</li>");
            html.Append("<li>Motifs : ").Append(E(string.Join(", ", s.Reasons))).Append("</li>");
            html.Append("<li>Secteur : ").Append(E(s.Sector)).Append(" — état : ").Append(E(s.Status)).Append("</li>");
            html.Append("<li>Autres personnes concernées (non identifiées ici) : ").Append(s.OtherPersonsConcerned);
            if (s.OtherPersons.Count > 0)
                html.Append("<ul>").AppendJoin("", s.OtherPersons.Select(o => $"<li>{E(o.Label)} ({E(o.Role)})</li>")).Append("</ul>");
            html.Append("</li>");
            if (s.ErasureDueAt is { } due) html.Append("<li>Effacement prévu au plus tard le ").Append(Day(due)).Append("</li>");
            html.Append("</ul><h3>Votre identité telle qu'elle est enregistrée</h3><ul>");
            var i = s.IdentityAsRecorded;
            foreach (var (label, value) in new (string, string?)[]
                     {
                         ("Nom", i.Nom), ("Prénom", i.Prenom), ("Sexe", i.Sexe), ("Date de naissance", i.DateNaissance.ToString("dd/MM/yyyy")),
                         ("Adresse", i.Adresse), ("Téléphone", i.Telephone), ("Courriel", i.Courriel),
                         ("Situation scolaire ou professionnelle", i.SituationScolaireOuProfessionnelle), ("Représentants légaux", i.RepresentantsLegaux),
                     })
                if (!string.IsNullOrWhiteSpace(value)) html.Append("<li>").Append(label).Append(" : ").Append(E(value)).Append("</li>");
            html.Append("</ul><h3>Faits signalés</h3><p>").Append(E(s.Facts)).Append("</p>");
            if (s.Steps.Count > 0)
            {
                html.Append("<h3>Suite donnée</h3><ol>");
                foreach (var step in s.Steps)
                {
                    html.Append("<li><strong>").Append(Day(step.At)).Append(" — ").Append(E(step.Label)).Append("</strong>");
                    if (step.Text is not null) html.Append("<p>").Append(E(step.Text)).Append("</p>");
                    if (step.Details.Count > 0) html.Append("<ul>").AppendJoin("", step.Details.Select(x => $"<li>{E(x)}</li>")).Append("</ul>");
                    html.Append("</li>");
                }
                html.Append("</ol>");
            }
            html.Append("<h3>Consultations de votre dossier</h3>");
            if (s.Accesses.Count == 0) html.Append("<p>Aucune consultation enregistrée.</p>");
            else
            {
                html.Append("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Organisation</th><th scope=\"col\">Action</th><th scope=\"col\">Motif</th><th scope=\"col\">Issue</th></tr></thead><tbody>");
                foreach (var a in s.Accesses)
                    html.Append("<tr><td>").Append(Day(a.At)).Append("</td><td>").Append(E(a.Organisation)).Append("</td><td>").Append(E(a.Action))
                        .Append("</td><td>").Append(E(a.Purpose)).Append("</td><td>").Append(a.Granted ? "accordée" : "refusée").Append("</td></tr>");
                html.Append("</tbody></table>");
            }
        }
        html.Append("</body></html>");
        return html.ToString();
    }
}
