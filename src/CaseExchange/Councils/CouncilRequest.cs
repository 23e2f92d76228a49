using System.Linq.Expressions;
using System.Reflection;
using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Http;
using JasperFx;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Marten;
using Marten.Linq;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace CaseExchange.Councils;

/// <summary>
/// One request to one council, as every use case sees it: the council's open session (the tenant), who is asking,
/// the charter policy and the clock. Built once per request — for the API by <see cref="CouncilRequestParameter"/>, for
/// pages by <c>CouncilPageModel</c> — from one round trip (the member behind the subject and the council).
/// </summary>
/// <remarks>
/// <see cref="Actor"/> is the caller as an active member of the council, and refuses everyone else (401/403). Only the
/// use cases that journal their refusals (<see cref="JournalsItsRefusalsAttribute"/>) look at <see cref="Caller"/>
/// before deciding, so that an outsider's attempt is journalled rather than merely refused.
/// </remarks>
public sealed class CouncilRequest
{
    private CouncilRequest(IDocumentSession session, CharterPolicy policy, TimeProvider clock, string? subject, Member? caller,
        Council? council, CancellationToken cancellation)
    {
        Session = session;
        DeploymentPolicy = policy;
        Clock = clock;
        Subject = subject;
        Caller = caller;
        CouncilState = council;
        Cancellation = cancellation;
    }

    /// <summary>The council's code (the Marten tenant every read and write of this request goes to).</summary>
    public string Council => Session.TenantId;

    public IDocumentSession Session { get; }
    /// <summary>
    /// The policy this council works under: the deployment's (<c>charter/policy.json</c>) narrowed by the council's own
    /// charter version in force, if any. Read from the council document already loaded; built once per council and version.
    /// </summary>
    public CharterPolicy Policy => field ??= DeploymentPolicy.For(CouncilState);

    /// <summary>The deployment's policy: the bounds of every council's own version, and the version shipped with the service.</summary>
    public CharterPolicy DeploymentPolicy { get; }
    public TimeProvider Clock { get; }
    public CancellationToken Cancellation { get; }

    /// <summary>The authenticated subject (from the token or the session cookie), if any.</summary>
    public string? Subject { get; }

    /// <summary>The member behind the subject, whatever their state; null for a subject this council does not know.</summary>
    public Member? Caller { get; }

    /// <summary>The council itself; null when no council has this code.</summary>
    public Council? CouncilState { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>The caller as an active member of this council; anyone else is refused, with the same answer for an unknown council.</summary>
    public Actor Actor => field ??= RequireActor();

    private Actor RequireActor()
    {
        if (Subject is null) throw new ProblemException(Actor.Unauthenticated());
        if (CouncilState is null || Caller is not { Active: true }) throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        return new Actor(Caller, CouncilState);
    }

    /// <summary>The request's context, the caller not yet judged (for use cases that journal their refusals).</summary>
    public static Task<CouncilRequest> ResolveAsync(HttpContext http, IDocumentSession session) =>
        ResolveAsync(session, Actor.SubjectOf(http.User), http.RequestServices.GetRequiredService<CharterPolicy>(),
            http.RequestServices.GetRequiredService<TimeProvider>(), http.RequestAborted);

    /// <summary>The context of a call made outside HTTP (the demo, benchmarks): same lookups, same judgement.</summary>
    public static async Task<CouncilRequest> ResolveAsync(IDocumentSession session, string? subject, CharterPolicy policy,
        TimeProvider clock, CancellationToken cancellation = default)
    {
        Member? caller = null;
        Council? council;
        if (subject is null)
        {
            council = await session.LoadAsync<Council>(Councils.Council.StreamId, cancellation);
        }
        else
        {
            var batch = session.CreateBatchQuery();
            var memberLookup = batch.Query(new MemberBySubject { Subject = subject });
            var councilLookup = batch.Load<Council>(Councils.Council.StreamId);
            await batch.Execute(cancellation);
            caller = await memberLookup;
            council = await councilLookup;
        }
        return new CouncilRequest(session, policy, clock, subject, caller, council, cancellation);
    }

    /// <summary>The request's context for a member of the council: anyone else is refused before the use case runs.</summary>
    public static async Task<CouncilRequest> ResolveMemberAsync(HttpContext http, IDocumentSession session)
    {
        var request = await ResolveAsync(http, session);
        _ = request.Actor;
        return request;
    }
}

/// <summary>
/// The member behind a subject, as a compiled query: Marten plans its LINQ once for the process instead of at every
/// request (every API call and page resolves its caller with it).
/// </summary>
public sealed class MemberBySubject : ICompiledQuery<Member, Member?>
{
    public string Subject { get; set; } = "";

    public Expression<Func<IMartenQueryable<Member>, Member?>> QueryIs() => members => members.FirstOrDefault(m => m.Subject == Subject);
}

/// <summary>
/// Lets an endpoint take a <see cref="CouncilRequest"/> parameter: Wolverine builds it before the endpoint runs, from the
/// council's session. An endpoint marked <see cref="JournalsItsRefusalsAttribute"/> gets it with the caller unjudged.
/// </summary>
public sealed class CouncilRequestParameter : IParameterStrategy
{
    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        variable = null;
        if (parameter.ParameterType != typeof(CouncilRequest)) return false;
        var judgesItsCaller = chain.Method.Method.GetCustomAttribute<JournalsItsRefusalsAttribute>() is not null;
        // By signature: ResolveAsync is overloaded (the HTTP one, and the one for calls outside HTTP).
        var resolve = typeof(CouncilRequest).GetMethod(
            judgesItsCaller ? nameof(CouncilRequest.ResolveAsync) : nameof(CouncilRequest.ResolveMemberAsync), [typeof(HttpContext), typeof(IDocumentSession)])!;
        var call = new MethodCall(typeof(CouncilRequest), resolve);
        chain.Middleware.Add(call);
        variable = call.ReturnVariable;
        return true;
    }
}
