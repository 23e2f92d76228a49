using System.Security.Cryptography;
using CaseExchange.Charter;
using CaseExchange.Http;
using CaseExchange.Protection;
using CaseExchange.Situations;
using Microsoft.AspNetCore.Http;

namespace CaseExchange.Tests.Situations;

/// <summary>
/// A situation built in memory the way Marten builds it, by applying its events one by one: what the pure Check and
/// Decide of the write use cases are tested against, without PostgreSQL.
/// </summary>
public sealed class SituationHistory
{
    public static readonly CharterPolicy Policy = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    public static DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>Stands for any sealed value in the history: Apply methods never read them.</summary>
    private static readonly SealedText Sealed = new("v1:AAAA");

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public Guid Id { get; } = Guid.CreateVersion7();
    public Guid GroupId { get; } = Guid.CreateVersion7();
    public Guid ActorId { get; } = Guid.CreateVersion7();
    public Situation Situation { get; } = new();

    /// <summary>Seals with this situation's own key, as SituationKeys would hand it to a write use case.</summary>
    public SituationSealer Sealer => new(Cipher);

    /// <summary>Opens what <see cref="Sealer"/> sealed: the tests check that a decided event holds the trimmed text, sealed.</summary>
    public string Open(string field, SealedText text) => Cipher.Open(field, text);

    private SituationCipher Cipher => new(_key, "test", Id);

    public static SituationHistory Referred()
    {
        var history = new SituationHistory();
        history.Situation.Apply(new SituationReferred(history.Id, "S-2026-0001", history.GroupId, ["errance"], "nord", "prioritaire",
            history.ActorId, "Mairie", [new SealedPerson(Guid.CreateVersion7(), PersonRoles.Followed, "16-17", Sealed)], Sealed, Now.AddDays(-30)));
        return history;
    }

    public SituationHistory OnAgenda(Guid seanceId)
    {
        Situation.Apply(new SituationPlacedOnAgenda(Id, seanceId, Now.AddDays(-10), ActorId, Now.AddDays(-20)));
        return this;
    }

    public SituationHistory Postponed(Guid seanceId)
    {
        Situation.Apply(new SituationPostponed(Id, seanceId, ActorId, Now.AddDays(-9)));
        return this;
    }

    public SituationHistory Examined(Guid seanceId)
    {
        Situation.Apply(new SituationExamined(Id, seanceId, Sealed, [new Decision("suivi-renforce", null)], ActorId, Now.AddDays(-10)));
        return this;
    }

    public SituationHistory FollowedUp(Guid referentId, Guid actionId, string status = "en-cours")
    {
        Situation.Apply(new FollowUpAssigned(Id, referentId,
            [new PlannedAction(actionId, "contact-famille", "CCAS", "Travailleur social", Today.AddDays(20), Sealed)], ActorId, Now.AddDays(-8)));
        if (status != "en-cours") Situation.Apply(new FollowUpRecorded(Id, actionId, status, Sealed, referentId, Now.AddDays(-7)));
        return this;
    }

    public SituationHistory Closed()
    {
        Situation.Apply(new SituationClosed(Id, "sans-objet", null, ActorId, Now.AddDays(-5)));
        return this;
    }

    public SituationHistory Erased()
    {
        Situation.Apply(new NominativeDataErased(Id, ErasureCauses.RetentionPeriodEnded, null, Now.AddDays(-1)));
        return this;
    }

    /// <summary>The fields a Check refuses, with their messages; empty when the form passes.</summary>
    public static IDictionary<string, string[]> ErrorsOf(ValidationErrors errors)
    {
        if (!errors.Any) return new Dictionary<string, string[]>();
        var problem = Assert.Throws<ProblemException>(errors.ThrowIfAny);
        Assert.Equal(StatusCodes.Status400BadRequest, problem.Problem.Status);
        return Assert.IsType<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>(problem.Problem).Errors;
    }

    /// <summary>A decision refused by the situation's state: 409, out of order, with its French detail.</summary>
    public static string OutOfOrder(Action decide)
    {
        var problem = Assert.Throws<ProblemException>(decide);
        Assert.Equal(StatusCodes.Status409Conflict, problem.Problem.Status);
        Assert.Equal(ProblemTypes.OutOfOrder, problem.Problem.Type);
        return problem.Problem.Detail!;
    }
}
