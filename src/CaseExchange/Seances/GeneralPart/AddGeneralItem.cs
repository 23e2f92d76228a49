using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.GeneralPart;

/// <summary>What a point of the general part is about: never a person (closed list).</summary>
public static class GeneralItemKinds
{
    public static readonly IReadOnlyList<(string Code, string Label)> All =
    [
        ("phenomene", "Phénomène observé"),
        ("lieu", "Lieu"),
        ("action-collective", "Action collective"),
    ];

    public static bool Has(string? code) => All.Any(k => k.Code == code);

    public static string LabelOf(string code) => All.FirstOrDefault(k => k.Code == code).Label ?? code;
}

/// <summary>IN CLEAR until checked: a non-nominative point of the general part (a phenomenon, a place, a collective action).</summary>
public sealed record AddGeneralItem(string? Kind, string? Text, long? ExpectedVersion)
{
    public override string ToString() => "[point de la partie générale]";
}

public sealed record GeneralItemResponse(Guid SeanceId, Guid ItemId, long Version);

public static class AddGeneralItemEndpoint
{
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/general-items", Summary = "Inscrire un point non nominatif à la partie générale de l'ODJ"), Tags("Séances")]
    public static Task<GeneralItemResponse> Post(Guid seanceId, AddGeneralItem command, CouncilRequest request, IdentityIndex index) =>
        AddGeneralItemUseCase.HandleAsync(request, seanceId, command, index);
}

/// <summary>
/// A point of the general part of the ODJ: a phenomenon, a place, a collective action — never a person. Its text leaves the
/// group (convocation, CR), so it goes through the identity guard first: a text that names a person known to the council
/// is refused, the refusal recorded on the séance (where and what kind, never the text).
/// </summary>
public static class AddGeneralItemUseCase
{
    public const int MaxTextLength = 500;
    public const int MaxItems = 20;
    public const string TextLabel = "Le point de la partie générale";

    public static async Task<GeneralItemResponse> HandleAsync(CouncilRequest request, Guid seanceId, AddGeneralItem command, IdentityIndex index)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        Check(command).ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);
        var added = Decide(target.Seance, command, Guid.CreateVersion7(), request.Actor.Id, request.Now);
        if ((await index.GuardForAsync(request.Council, [added.Text], request.Cancellation)).Names(added.Text))
            throw await IdentifyingTextRefusals.OnSeanceAsync(request.Session.DocumentStore, request.Council, seanceId, [("text", TextLabel)],
                request.Actor.Id, request.Now, request.Cancellation);
        return new GeneralItemResponse(seanceId, added.ItemId, target.Append(added));
    }

    public static ValidationErrors Check(AddGeneralItem command) => SeanceForWriting.CheckExpectedVersion(command.ExpectedVersion)
        .When(!GeneralItemKinds.Has(command.Kind), "kind", "Choisissez la nature du point dans la liste (phénomène, lieu, action collective).")
        .RequireText(command.Text, "text", TextLabel, MaxTextLength);

    /// <summary>An open séance, at most <see cref="MaxItems"/> points.</summary>
    public static GeneralItemAdded Decide(Seance seance, AddGeneralItem command, Guid itemId, Guid by, DateTimeOffset now)
    {
        SeanceForWriting.RequireOpen(seance, "son ordre du jour ne peut plus changer.");
        if (seance.GeneralItems.Count >= MaxItems) throw Problems.OutOfOrder($"La partie générale compte déjà {MaxItems} points.");
        return new GeneralItemAdded(seance.Id, itemId, command.Kind!, command.Text!.Trim(), by, now);
    }
}
