using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;

namespace CaseExchange.Seances.Rescheduling;

/// <summary>
/// A séance's place: a room of an institution ("Mairie, salle du conseil"), printed on the convocation and the feuille
/// d'émargement. It is clear text that leaves the group, so it goes through the identity guard (an address or a name of a
/// person known to the council is refused, the refusal journalled on the council's chain, never the text).
/// </summary>
public static class SeancePlace
{
    public const int MaxLength = 120;
    public const string Label = "Le lieu de la séance";

    public static ValidationErrors Check(ValidationErrors errors, string? place, string field, bool required) =>
        required || !string.IsNullOrWhiteSpace(place) ? errors.RequireText(place, field, Label, MaxLength) : errors;

    public static string? Normalise(string? place) => string.IsNullOrWhiteSpace(place) ? null : place.Trim();

    /// <summary>Refuses (400, journalled) a place that names a person known to the council.</summary>
    public static async Task GuardAsync(CouncilRequest request, IdentityIndex index, AccessJournal journal, string? place, string field)
    {
        if (string.IsNullOrWhiteSpace(place)) return;
        if ((await index.GuardForAsync(request.Council, [place], request.Cancellation)).Names(place))
            throw await IdentifyingTextRefusals.OnCouncilAsync(journal, request.Council, request.Actor, [(field, Label)], request.Cancellation);
    }
}

/// <summary>Why a séance moves or is cancelled: closed lists (no free text about a séance leaves the group).</summary>
public static class SeanceChangeReasons
{
    public static readonly IReadOnlyList<(string Code, string Label)> Rescheduling =
    [
        ("indisponibilite-salle", "Salle indisponible"),
        ("quorum-insuffisant", "Trop peu de membres disponibles"),
        ("calendrier", "Conflit de calendrier (autre réunion, congés, fériés)"),
        ("ordre-du-jour", "Ordre du jour à compléter"),
        ("evenement-imprevu", "Événement imprévu"),
    ];

    public static readonly IReadOnlyList<(string Code, string Label)> Cancellation =
    [
        ("quorum-insuffisant", "Trop peu de membres disponibles"),
        ("ordre-du-jour-vide", "Aucune situation ni point à examiner"),
        ("remplacee", "Remplacée par une autre séance"),
        ("evenement-imprevu", "Événement imprévu"),
    ];

    public static bool Has(IReadOnlyList<(string Code, string Label)> list, string? code) => list.Any(r => r.Code == code);

    public static string LabelOf(string code) =>
        Rescheduling.Concat(Cancellation).FirstOrDefault(r => r.Code == code).Label ?? code;
}
