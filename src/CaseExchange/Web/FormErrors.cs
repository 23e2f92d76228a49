using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CaseExchange.Web;

/// <summary>The API's per-field validation errors ("persons[0].dateNaissance") as the form's model state ("Input.Persons[0].DateNaissance").</summary>
public static class FormErrors
{
    private const string OrderKey = "CaseExchange.Web.ErrorOrder";
    private const string RefusalKey = "CaseExchange.Web.FormRefusal";
    private const string RefusalShownKey = "CaseExchange.Web.FormRefusalShown";

    public static void Add(ModelStateDictionary modelState, HttpValidationProblemDetails problem, string prefix, HttpContext context,
        Func<string, string>? mapField = null)
    {
        var order = new List<string>();
        foreach (var (field, messages) in problem.Errors)
        {
            var key = Key(mapField?.Invoke(field) ?? field, prefix);
            order.Add(key);
            foreach (var message in messages) modelState.AddModelError(key, message);
        }
        context.Items[OrderKey] = order;
    }

    /// <summary>
    /// A form refused as a whole (409: the current state does not allow it, or it changed meanwhile): the form's summary
    /// shows the problem's title and detail, which name no person (problems never carry nominative data).
    /// </summary>
    public static void Refuse(HttpContext context, ProblemDetails problem) => context.Items[RefusalKey] = problem;

    public static ProblemDetails? Refusal(HttpContext context) => context.Items[RefusalKey] as ProblemDetails;

    /// <summary>The form's summary showed the refusal (<c>_ErrorSummary</c>).</summary>
    public static void MarkRefusalShown(HttpContext context) => context.Items[RefusalShownKey] = true;

    /// <summary>
    /// A refusal that the page did not show: the state that refused the form may also hide it (a situation closed meanwhile
    /// offers no closure form), so the layout, rendered after the page, shows it at the top of the page instead.
    /// </summary>
    public static bool RefusalNotShown(HttpContext context) => Refusal(context) is not null && !context.Items.ContainsKey(RefusalShownKey);

    /// <summary>The invalid fields in the order the use case checked them (the form's order), then any others.</summary>
    public static IEnumerable<(string Key, string Message)> InOrder(ModelStateDictionary modelState, HttpContext context)
    {
        var order = context.Items[OrderKey] as List<string> ?? [];
        var keys = order.Concat(modelState.Keys.Where(k => !order.Contains(k)));
        foreach (var key in keys.Distinct())
        {
            if (!modelState.TryGetValue(key, out var entry) || entry is null) continue;
            foreach (var error in entry.Errors) yield return (key, error.ErrorMessage);
        }
    }

    public static string Key(string apiField, string prefix)
    {
        var path = string.Join('.', apiField.Split('.').Select(segment => segment.Length == 0 ? segment : char.ToUpperInvariant(segment[0]) + segment[1..]));
        return prefix.Length == 0 ? path : $"{prefix}.{path}";
    }
}
