using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Http;

/// <summary>Problem details that features raise; French text for people, stable types for programs.</summary>
public static class Problems
{
    public static ProblemException NotFound(string detail) => new(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound, Type = ProblemTypes.NotFound, Title = "Introuvable", Detail = detail,
    });

    /// <summary>A command that the current state does not allow yet, or any more (e.g. examining before placing on the agenda).</summary>
    public static ProblemException OutOfOrder(string detail) => new(new ProblemDetails
    {
        Status = StatusCodes.Status409Conflict, Type = ProblemTypes.OutOfOrder, Title = "Action impossible dans l'état actuel", Detail = detail,
    });

    public static ProblemException StaleVersion(long expected, long actual) => new(new ProblemDetails
    {
        Status = StatusCodes.Status409Conflict,
        Type = ProblemTypes.ConcurrentUpdate,
        Title = "Modification concurrente",
        Detail = $"Vous travailliez sur la version {expected}, mais la version actuelle est la {actual} : " +
                 "quelqu'un l'a modifiée entre-temps. Rechargez puis recommencez ; rien n'a été enregistré.",
        Extensions = { ["expectedVersion"] = expected, ["currentVersion"] = actual },
    });
}

/// <summary>Collects per-field errors (French messages) and raises one 400 validation problem.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
        return this;
    }

    public ValidationErrors When(bool failed, string field, string message) => failed ? Add(field, message) : this;

    public ValidationErrors RequireText(string? value, string field, string label, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return Add(field, $"{label} est obligatoire.");
        return When(value.Length > maxLength, field, $"{label} ne doit pas dépasser {maxLength} caractères.");
    }

    public ValidationErrors OptionalText(string? value, string field, string label, int maxLength) =>
        When(value is not null && value.Length > maxLength, field, $"{label} ne doit pas dépasser {maxLength} caractères.");

    public void ThrowIfAny()
    {
        if (!Any) return;
        var problem = new HttpValidationProblemDetails(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.Validation,
            Title = "La demande contient des erreurs",
            Detail = "Corrigez les champs signalés puis renvoyez la demande : elle n'a pas été prise en compte.",
        };
        throw new ProblemException(problem);
    }
}
