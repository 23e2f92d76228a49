using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Seances.Paperwork;

namespace CaseExchange.Seances.Convocation;

/// <summary>A situation on the convocation's ODJ (règlement, article 6): pseudonym, age bands, reasons, sector, urgency — labels.</summary>
public sealed record ConvocationItem(string Pseudonym, IReadOnlyList<string> AgeBands, IReadOnlyList<string> Reasons, string Sector, string Urgency);

/// <summary>
/// What a convocation says, frozen when it is established (labels resolved then). Nothing here can hold a name, a birth
/// date or an address of a person concerned: situations are pseudonyms and list labels, the place went through the
/// identity guard, the general part's items too.
/// </summary>
public sealed record ConvocationContent(
    string CouncilName, string GroupName, DateTimeOffset SeanceDate, string Place, int Number, bool Urgent, DateTimeOffset ConvenedAt,
    IReadOnlyList<ConvocationItem> Items, IReadOnlyList<string>? GeneralItems = null)
{
    /// <summary>The charter's confidentiality rule (article 6) and the règlement's rule on convocations (article 6), as reminded to every member.</summary>
    public const string ConfidentialityReminder =
        "Rappel de la charte déontologique (article 6 — Confidentialité) : conformément à l'article L. 132-5 du code de la sécurité " +
        "intérieure, les faits et informations à caractère confidentiel échangés au sein des groupes de travail ne peuvent être " +
        "communiqués à des tiers. L'obligation de confidentialité subsiste après la fin des fonctions du membre au sein du groupe. " +
        "Seuls les membres du groupe signataires de la charte en vigueur assistent à la partie nominative (règlement intérieur, article 8).";

    public const string AnonymityNotice =
        "La convocation et l'ordre du jour ne comportent aucune donnée nominative : les situations y sont désignées par leur pseudonyme, " +
        "leur tranche d'âge, leurs motifs, leur secteur et leur degré d'urgence (règlement intérieur, article 6).";

    public PaperDocument ToDocument()
    {
        var blocks = new List<PaperBlock>
        {
            new PaperParagraph($"Les membres du groupe de travail « {GroupName} » sont convoqués à la séance du {FrenchTime.DateAndTime(SeanceDate)}."),
            new PaperParagraph($"Lieu : {Place}"),
        };
        if (Urgent)
            blocks.Add(new PaperParagraph("Séance convoquée en urgence, sans le délai de huit jours (règlement intérieur, article 6)."));
        blocks.Add(new PaperHeading("Ordre du jour"));
        blocks.Add(new PaperHeading("Partie générale", 2));
        var general = GeneralItems ?? [];
        if (general.Count == 0) blocks.Add(new PaperParagraph("Aucun point inscrit."));
        foreach (var item in general) blocks.Add(new PaperParagraph("• " + item));
        blocks.Add(new PaperHeading("Partie nominative : situations à examiner", 2));
        if (Items.Count == 0) blocks.Add(new PaperParagraph("Aucune situation n'est inscrite."));
        else
            blocks.Add(new PaperTable("Situations inscrites", ["Pseudonyme", "Tranches d'âge", "Motifs", "Secteur", "Urgence"],
                [.. Items.Select(i => (IReadOnlyList<string>)[i.Pseudonym, string.Join(", ", i.AgeBands), string.Join(" ; ", i.Reasons), i.Sector, i.Urgency])]));
        blocks.Add(new PaperNotice(AnonymityNotice));
        blocks.Add(new PaperNotice(ConfidentialityReminder));
        return new PaperDocument($"Convocation — {GroupName}",
            $"{CouncilName} · séance du {FrenchTime.DateAndTime(SeanceDate)} · convocation n° {Number}, établie le {FrenchTime.Day(ConvenedAt)}",
            ConvenedAt, blocks);
    }

    public string FileStem => PaperDocument.Stem("convocation", GroupName, SeanceDate, Number);
}
