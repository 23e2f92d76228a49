using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Microsoft.AspNetCore.Http;

namespace CaseExchange.Tests.Councils;

/// <summary>Pure helpers for the Check/Decide tests of the council slices: no service, no database.</summary>
public static class Pure
{
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 10, 0, 0, TimeSpan.Zero);

    public static readonly Guid Coordinator = Guid.Parse("00000000-0000-4000-8000-00000000c001");

    public static CharterPolicy Policy { get; } = CharterPolicy.Load(Path.Combine(AppContext.BaseDirectory, "charter"));

    /// <summary>The fields a check refuses, with their messages; empty when the check passes.</summary>
    public static IDictionary<string, string[]> Fields(ValidationErrors errors)
    {
        if (!errors.Any) return new Dictionary<string, string[]>();
        var thrown = Assert.Throws<ProblemException>(errors.ThrowIfAny);
        return Assert.IsType<HttpValidationProblemDetails>(thrown.Problem).Errors;
    }

    /// <summary>A decision refused as out of order (409), with its French detail.</summary>
    public static string Conflict(Action decide)
    {
        var thrown = Assert.Throws<ProblemException>(decide);
        Assert.Equal(StatusCodes.Status409Conflict, thrown.Problem.Status);
        return thrown.Problem.Detail!;
    }

    public static int StatusOf(Action decide) => Assert.Throws<ProblemException>(decide).Problem.Status!.Value;

    public static Member AMember(Guid? id = null, params string[] councilRoles)
    {
        var member = new Member();
        member.Apply(new MemberRegistered(id ?? Guid.NewGuid(), "sujet", "Nom", "Organisation", "Fonction", councilRoles, null, Now));
        return member;
    }

    public static Council ACouncil(bool charterInForce = true)
    {
        var council = new Council();
        council.Apply(new CouncilEstablished("test", "CLSPD de test", [new Sector("nord", "Quartier nord")], Now));
        if (charterInForce) council.Apply(new CharterVersionAdopted(Policy.Version, Policy.Fingerprint, null, Now));
        return council;
    }

    public static Group AGroup(params (Guid Member, string Role)[] members)
    {
        var group = new Group();
        group.Apply(new GroupCreated(Guid.NewGuid(), "GT", GroupKinds.Thematique, null, Coordinator, Now));
        foreach (var (member, role) in members) group.Apply(new MemberJoinedGroup(group.Id, member, role, Coordinator, Now));
        return group;
    }
}
