using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances.Convocation;
using CaseExchange.Seances.Paperwork;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Emargement;

public static class EmargementEndpoint
{
    [WolverineGet("/api/councils/{council}/seances/{seanceId}/emargement/{format}", Summary = "La feuille d'émargement à imprimer (docx, pdf ou html)"), Tags("Séances")]
    public static Task<IResult> Get(Guid seanceId, string format, CouncilRequest request) =>
        EmargementUseCase.HandleAsync(request, seanceId, format);
}

/// <summary>One who signs the sheet: a member (a professional, named for accountability) or an invited partner (organisation and role).</summary>
public sealed record Signatory(string Name, string OrganisationAndFunction, string Capacity);

/// <summary>
/// The feuille d'émargement, to print and sign at the séance: the group's active members who signed the charter in force
/// (nominative part), then those who attend the general part only — the group's members without that signature and the
/// partners invited from the directory (règlement intérieur, article 8). No person concerned by a situation appears on it.
/// </summary>
public static class EmargementUseCase
{
    public const int BlankRows = 3;

    public static async Task<IResult> HandleAsync(CouncilRequest request, Guid seanceId, string format)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        if (!PaperDocument.Formats.Contains(format)) throw Problems.NotFound("Format inconnu : la feuille d'émargement est disponible en docx, pdf et html.");
        var members = await request.Session.LoadManyAsync<Member>(request.Cancellation, target.Group.Members.Keys);
        var document = Sheet(target.Seance, target.Group, request.Actor.Council, request.Policy, members, request.Now);
        return new PaperDownload(document.Render(format, PaperDocument.Stem("emargement", target.Group.Name, target.Seance.Date)));
    }

    /// <summary>The sheet (pure): who signs in which part, by name within each part.</summary>
    public static PaperDocument Sheet(Seance seance, Group group, Council council, CharterPolicy policy, IEnumerable<Member> members, DateTimeOffset now)
    {
        var version = council.CharterVersionInForce;
        var active = members.Where(m => m.Active && group.HasMember(m.Id)).OrderBy(m => m.DisplayName, StringComparer.CurrentCulture).ToList();
        Signatory Of(Member m) => new(m.DisplayName, $"{m.Organisation}, {m.Function}",
            policy.Roles.TryGetValue(group.RoleOf(m.Id) ?? "", out var role) ? role.Label : group.RoleOf(m.Id) ?? "");
        var nominative = active.Where(m => m.HasSigned(version)).Select(Of).ToList();
        var general = active.Where(m => !m.HasSigned(version)).Select(m => Of(m) with { Capacity = Of(m).Capacity + " (charte en vigueur non signée)" })
            .Concat(seance.InvitedGuests.Select(g => new Signatory("Représentant(e) :", $"{g.Organisation}, {g.Function}", "Partenaire invité")))
            .ToList();

        static IReadOnlyList<IReadOnlyList<string>> Rows(IEnumerable<Signatory> people, int blank) =>
            [.. people.Select(p => (IReadOnlyList<string>)[p.Name, p.OrganisationAndFunction, p.Capacity, ""]),
             .. Enumerable.Range(0, blank).Select(_ => (IReadOnlyList<string>)["", "", "", ""])];

        string[] header = ["Nom", "Organisation et fonction", "Qualité", "Signature"];
        var blocks = new List<PaperBlock>
        {
            new PaperParagraph($"Lieu : {seance.Place ?? "à préciser"}"),
            new PaperHeading("Partie nominative"),
            new PaperParagraph("Réservée aux membres actifs du groupe qui ont signé la charte déontologique en vigueur (règlement intérieur, article 8). " +
                               "À l'ouverture de la partie nominative, l'animateur rappelle l'obligation de confidentialité."),
            new PaperTable("Membres du groupe signataires de la charte en vigueur", header, Rows(nominative, 0), ForSignatures: true),
            new PaperHeading("Partie générale"),
            new PaperParagraph("Les participants qui n'assistent qu'à la partie générale : membres sans la signature de la charte en vigueur, partenaires " +
                               "invités, personnes qualifiées. Ils ne participent pas à l'examen des situations individuelles."),
            new PaperTable("Participants à la partie générale seulement", header, Rows(general, BlankRows), ForSignatures: true),
            new PaperNotice(ConvocationContent.ConfidentialityReminder),
        };
        return new PaperDocument($"Feuille d'émargement — {group.Name}",
            $"{council.Name} · séance du {FrenchTime.DateAndTime(seance.Date)} · imprimée le {FrenchTime.Day(now)}", now, blocks);
    }
}
