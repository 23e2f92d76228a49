using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Closure;

/// <summary>NOMINATIVE, IN CLEAR until sealed: the optional comment is free text.</summary>
public sealed record CloseSituation(string? Outcome, [property: JsonPropertyName("comment")] string? CommentInClear, long? ExpectedVersion)
{
    public override string ToString() => "[clôture nominative]";
}

public static class CloseSituationEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/closure", Summary = "Clôturer la situation"), Tags("Situations")]
    public static Task<SituationChangedResponse> Post(Guid situationId, CloseSituation command, CouncilRequest request, SituationKeys keys) =>
        CloseSituationUseCase.HandleAsync(request, situationId, command, keys);
}

/// <summary>Closing a situation with its outcome (animateur of the holding group or coordonnateur), once examined.</summary>
public static class CloseSituationUseCase
{
    public const int MaxCommentLength = 1000;

    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, CloseSituation command, SituationKeys keys)
    {
        var target = await SituationForWriting.FetchAsync(request.Session, situationId);
        target.RequireLead(request.Actor, request.Policy);
        target.RequireVersion(command.ExpectedVersion);
        Check(command, request.Policy).ThrowIfAny();

        SealedText? comment = null;
        if (!string.IsNullOrWhiteSpace(command.CommentInClear))
        {
            var cipher = await keys.SealerForAsync(request.Session, situationId);
            comment = cipher.Seal(SealedFields.ClosureComment, command.CommentInClear.Trim());
        }
        return target.Append(Decide(target.Situation, command.Outcome!, comment, request.Actor.Id, request.Now));
    }

    /// <summary>The form: an outcome from the charter's list, an optional comment of bounded length.</summary>
    public static ValidationErrors Check(CloseSituation command, CharterPolicy policy) => new ValidationErrors()
        .When(!policy.Outcomes.Has(command.Outcome), "outcome", "L'issue doit être choisie dans la liste de la charte.")
        .OptionalText(command.CommentInClear, "comment", "Le commentaire", MaxCommentLength);

    /// <summary>Only an open situation that the group has examined can be closed.</summary>
    public static SituationClosed Decide(Situation situation, string outcome, SealedText? comment, Guid actorId, DateTimeOffset now)
    {
        if (situation.IsErased) throw Problems.OutOfOrder("Les données nominatives de cette situation ont été effacées : elle ne peut plus évoluer.");
        if (situation.IsClosed) throw Problems.OutOfOrder("Cette situation est clôturée : elle ne peut plus évoluer.");
        if (situation.ExaminationCount == 0)
            throw Problems.OutOfOrder("Une situation ne peut être clôturée qu'après avoir été examinée par le groupe.");
        return new SituationClosed(situation.Id, outcome, comment, actorId, now);
    }
}
