using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Correction;

/// <summary>NOMINATIVE, IN CLEAR until sealed: a fact, the day it happened, added to a situation after its referral.</summary>
public sealed record AddFact(DateOnly? On, [property: JsonPropertyName("text")] string? TextInClear, long? ExpectedVersion)
{
    public override string ToString() => "[fait nominatif à ajouter]";
}

public static class AddFactEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/facts",
        Summary = "Ajouter un fait daté à la situation (chiffré avant enregistrement)"), Tags("Situations")]
    public static Task<SituationChangedResponse> Post(Guid situationId, AddFact command, CouncilRequest request, SituationKeys keys) =>
        AddFactUseCase.HandleAsync(request, situationId, command, keys);
}

/// <summary>
/// Adding a dated fact: a member of the holding group who may refer there (<see cref="AccessRules.AddToSituation"/>), while
/// the situation is open. The referral's facts stay as written; the new fact, its date with it, is sealed into a new event.
/// </summary>
public static class AddFactUseCase
{
    public const int MaxTextLength = CaseExchange.Situations.Referral.ReferSituationUseCase.MaxFactsLength;

    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, AddFact command, SituationKeys keys)
    {
        var actor = request.Actor;
        var target = await SituationForWriting.FetchAsync(request, situationId, command.ExpectedVersion,
            t => AccessRules.AddToSituation(request.Policy, actor.Member, actor.Council, t.HoldingGroup));
        Check(command, request.Today).ThrowIfAny();
        SituationForWriting.RequireOpen(target.Situation);

        var sealer = await target.SealerAsync(request, keys);
        return target.Append(Decide(target.Situation, command, sealer, actor.Id, request.Now));
    }

    /// <summary>Pure, the form: a date that has come, a text of bounded length.</summary>
    public static ValidationErrors Check(AddFact command, DateOnly today) => new ValidationErrors()
        .When(command.On is null, "on", "La date du fait est obligatoire.")
        .When(command.On > today, "on", "La date du fait ne peut pas être dans le futur.")
        .When(command.On < today.AddYears(-20), "on", "La date du fait n'est pas plausible.")
        .RequireText(command.TextInClear, "text", "Le fait", MaxTextLength);

    /// <summary>Pure: the addition event; the date and the text are sealed together.</summary>
    public static FactAddedToSituation Decide(Situation situation, AddFact command, SituationSealer sealer, Guid actorId, DateTimeOffset now)
    {
        SituationForWriting.RequireOpen(situation);
        return new FactAddedToSituation(situation.Id, Guid.CreateVersion7(),
            sealer.SealJson(SealedFields.AddedFact, new DatedFact(command.On!.Value, command.TextInClear!.Trim())), actorId, now);
    }
}
