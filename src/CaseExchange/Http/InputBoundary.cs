using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CaseExchange.Http;

/// <summary>
/// One rule for everything a request carries, checked before any use case, any database query or any log line sees it:
/// no C0 control character other than tab, CR and LF (route and query values, form fields, JSON strings and property
/// names, the token's subject); a JSON body that is well formed, not <c>null</c>, of the shape its endpoint reads, with
/// no <c>null</c> inside a list; no nil GUID in a route. A refusal is a French 400 (404 for the nil GUID) that never
/// repeats the value, logged at Information without it. README, "Input handling".
/// </summary>
public static class InputBoundary
{
    /// <summary>Bodies beyond this are refused (413) before being read in full: no use case takes more than a few pages of text.</summary>
    public const int MaxJsonBodyBytes = 1024 * 1024;

    public static bool IsRefusedControl(char c) => c < '\u0020' && c is not ('\t' or '\r' or '\n');

    public static bool HoldsRefusedControl(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (IsRefusedControl(c)) return true;
        return false;
    }

    /// <summary>Path, query, form and JSON body: after routing (the endpoint tells the body's type), before authentication.</summary>
    public static void UseCaseExchangeInputBoundary(this WebApplication app) => app.UseMiddleware<RequestBoundary>();

    /// <summary>The authenticated subject: after authentication, before any use case looks the member up.</summary>
    public static void UseCaseExchangeSubjectBoundary(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true
            && context.User.Claims.Any(c => c.Type is "sub" or System.Security.Claims.ClaimTypes.NameIdentifier && HoldsRefusedControl(c.Value)))
        {
            await RefuseAsync(context, BoundaryRefusal.Subject);
            return;
        }
        await next(context);
    });

    internal static async Task RefuseAsync(HttpContext context, BoundaryRefusal refusal)
    {
        var problem = refusal.Problem();
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InputBoundary))
            .LogInformation("Request refused at the input boundary: {Refusal} ({Status})", refusal.Code, problem.Status);
        context.Response.StatusCode = problem.Status!.Value;
        if (ErrorPages.WantsPage(context))
        {
            // The status code pages show the French error page with this problem.
            ErrorPages.Remember(context, problem);
            return;
        }
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}

/// <summary>Why the boundary refused a request: a stable code for logs and programs, French text for people.</summary>
public sealed record BoundaryRefusal(string Code, int Status, string Type, string Title, string Detail)
{
    private const string NothingRecorded = " Rien n'a été enregistré.";
    private const string Control = "Seuls la tabulation et les retours à la ligne sont admis parmi les caractères de contrôle.";

    public static readonly BoundaryRefusal Path = ControlIn("path", "l'adresse demandée");
    public static readonly BoundaryRefusal Query = ControlIn("query", "un paramètre de la requête");
    public static readonly BoundaryRefusal Form = ControlIn("form", "un champ du formulaire");
    public static readonly BoundaryRefusal Body = ControlIn("body", "le corps de la requête");
    public static readonly BoundaryRefusal Subject = ControlIn("subject", "l'identifiant de connexion du jeton");

    public static readonly BoundaryRefusal MalformedBody = new("malformed-body", 400, ProblemTypes.MalformedBody, "Corps de requête JSON invalide",
        "Le corps de la requête n'est pas un JSON valide pour cette opération : vérifiez la syntaxe, le nom et le type de chaque champ." + NothingRecorded);
    public static readonly BoundaryRefusal NullBody = new("null-body", 400, ProblemTypes.Validation, "Corps de requête vide",
        "Cette opération attend un objet JSON décrivant la demande, pas une valeur nulle ni un corps vide." + NothingRecorded);
    public static readonly BoundaryRefusal NullInList = new("null-in-list", 400, ProblemTypes.Validation, "Élément vide dans une liste",
        "Une liste de la demande contient un élément nul : retirez-le ou complétez-le." + NothingRecorded);
    public static readonly BoundaryRefusal TooLarge = new("too-large", 413, ProblemTypes.ForStatus(413), "Requête trop volumineuse",
        $"Le corps de la requête dépasse {InputBoundary.MaxJsonBodyBytes / 1024} Kio." + NothingRecorded);
    public static readonly BoundaryRefusal NilIdentifier = new("nil-identifier", 404, ProblemTypes.NotFound, "Ressource introuvable",
        "L'identifiant nul (00000000-0000-0000-0000-000000000000) ne désigne aucune ressource.");

    public const string ControlCharacterType = "urn:caseexchange:problem:control-character";

    private static BoundaryRefusal ControlIn(string where, string label) => new($"control-character-{where}", 400, ControlCharacterType,
        "Caractère de contrôle refusé", $"La demande contient un caractère de contrôle dans {label}. {Control}" + NothingRecorded);

    public ProblemDetails Problem() => new() { Status = Status, Type = Type, Title = Title, Detail = Detail };
}

internal sealed class RequestBoundary(RequestDelegate next, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public async Task InvokeAsync(HttpContext context)
    {
        // An error page re-executed for a refused request would be refused again: the original request was judged.
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            await next(context);
            return;
        }

        var refusal = CheckPathAndQuery(context.Request) ?? CheckRoute(context);
        if (refusal is null && context.Request.HasFormContentType) refusal = await CheckFormAsync(context.Request);
        if (refusal is null && IsJson(context.Request)) refusal = await CheckJsonBodyAsync(context);
        if (refusal is not null)
        {
            await InputBoundary.RefuseAsync(context, refusal);
            return;
        }
        await next(context);
    }

    private static BoundaryRefusal? CheckPathAndQuery(HttpRequest request)
    {
        if (InputBoundary.HoldsRefusedControl(request.Path.Value) || InputBoundary.HoldsRefusedControl(request.PathBase.Value)) return BoundaryRefusal.Path;
        foreach (var (key, values) in request.Query)
        {
            if (InputBoundary.HoldsRefusedControl(key)) return BoundaryRefusal.Query;
            foreach (var value in values)
                if (InputBoundary.HoldsRefusedControl(value)) return BoundaryRefusal.Query;
        }
        return null;
    }

    private static BoundaryRefusal? CheckRoute(HttpContext context)
    {
        foreach (var (_, value) in context.Request.RouteValues)
            if (value is string text && Guid.TryParse(text, out var id) && id == Guid.Empty) return BoundaryRefusal.NilIdentifier;
        return null;
    }

    private static async Task<BoundaryRefusal?> CheckFormAsync(HttpRequest request)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return BoundaryRefusal.MalformedBody;
        }
        foreach (var (key, values) in form)
        {
            if (InputBoundary.HoldsRefusedControl(key)) return BoundaryRefusal.Form;
            foreach (var value in values)
                if (InputBoundary.HoldsRefusedControl(value)) return BoundaryRefusal.Form;
        }
        return null;
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type
        && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/json", StringComparison.OrdinalIgnoreCase)
            || type.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private async Task<BoundaryRefusal?> CheckJsonBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > InputBoundary.MaxJsonBodyBytes) return BoundaryRefusal.TooLarge;
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > InputBoundary.MaxJsonBodyBytes) return BoundaryRefusal.TooLarge;
            buffer.Write(chunk, 0, read);
        }
        request.Body.Position = 0;

        var endpoint = context.GetEndpoint();
        var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Length == 0) return bodyType is null ? null : BoundaryRefusal.NullBody;

        var refusal = CheckJsonTokens(bytes.Span);
        // An endpoint that journals its own refusals gets null bodies and null elements, to journal them (authorise first).
        if (refusal == BoundaryRefusal.NullBody || refusal == BoundaryRefusal.NullInList)
            if (endpoint?.Metadata.GetMetadata<JournalsItsRefusalsAttribute>() is not null) return null;
        if (refusal is not null || bodyType is null) return refusal;
        try
        {
            // The shape the endpoint reads, with the options Wolverine reads it with (ASP.NET Core's JSON options): a wrong type is the client's error, answered
            // here in French, never reaching the framework's reader that logs it as an error quoting the input.
            JsonSerializer.Deserialize(bytes.Span, bodyType, json.Value.SerializerOptions);
            return null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or FormatException or InvalidOperationException)
        {
            return BoundaryRefusal.MalformedBody;
        }
    }

    /// <summary>Well-formed JSON, no refused control character in a string or a property name, no null inside a list.</summary>
    internal static BoundaryRefusal? CheckJsonTokens(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        // One bit per open container: is it a list?
        var inList = new Stack<bool>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartArray: inList.Push(true); break;
                    case JsonTokenType.StartObject: inList.Push(false); break;
                    case JsonTokenType.EndArray or JsonTokenType.EndObject: inList.Pop(); break;
                    case JsonTokenType.Null when inList.Count == 0: return BoundaryRefusal.NullBody;
                    case JsonTokenType.Null when inList.Peek(): return BoundaryRefusal.NullInList;
                    case JsonTokenType.String or JsonTokenType.PropertyName:
                        // Raw control characters are invalid JSON already; escaped ones (\u0000) are found once unescaped.
                        if (reader.ValueIsEscaped && InputBoundary.HoldsRefusedControl(reader.GetString())) return BoundaryRefusal.Body;
                        break;
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return BoundaryRefusal.MalformedBody;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or an unpaired surrogate in an escaped string.
            return BoundaryRefusal.MalformedBody;
        }
    }
}
