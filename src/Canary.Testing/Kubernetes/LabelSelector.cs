using System.Globalization;
using System.Text;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// A parsed label selector string (<c>a=b,c!=d,e in (f,g),!h</c>) with the API server's matching rules:
/// comma means AND, and <c>!=</c>/<c>notin</c> also match objects that lack the key.
/// </summary>
internal sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Parses a selector; a syntax error is a 400 BadRequest like the real server's.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var tokens = Tokenize(text);
        var parser = new Parser(tokens);
        return new LabelSelector(parser.ParseAll());
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            switch (c)
            {
                case ',':
                    tokens.Add(new Token(TokenKind.Comma, ","));
                    i++;
                    continue;
                case '(':
                    tokens.Add(new Token(TokenKind.Open, "("));
                    i++;
                    continue;
                case ')':
                    tokens.Add(new Token(TokenKind.Close, ")"));
                    i++;
                    continue;
                case '=':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        tokens.Add(new Token(TokenKind.DoubleEquals, "=="));
                        i += 2;
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Equals, "="));
                        i++;
                    }

                    continue;
                case '!':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        tokens.Add(new Token(TokenKind.NotEquals, "!="));
                        i += 2;
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Bang, "!"));
                        i++;
                    }

                    continue;
                case '>':
                    tokens.Add(new Token(TokenKind.Greater, ">"));
                    i++;
                    continue;
                case '<':
                    tokens.Add(new Token(TokenKind.Less, "<"));
                    i++;
                    continue;
            }

            var word = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && ",()=!<>".IndexOf(text[i], StringComparison.Ordinal) < 0)
            {
                word.Append(text[i]);
                i++;
            }

            var value = word.ToString();
            var kind = value switch
            {
                "in" => TokenKind.In,
                "notin" => TokenKind.NotIn,
                _ => TokenKind.Identifier,
            };
            tokens.Add(new Token(kind, value));
        }

        tokens.Add(new Token(TokenKind.End, string.Empty));
        return tokens;
    }

    private enum TokenKind
    {
        Identifier,
        Comma,
        Open,
        Close,
        Equals,
        DoubleEquals,
        NotEquals,
        Bang,
        Greater,
        Less,
        In,
        NotIn,
        End,
    }

    private enum Operator
    {
        Exists,
        DoesNotExist,
        Equals,
        NotEquals,
        In,
        NotIn,
        GreaterThan,
        LessThan,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.Equals or Operator.In => has && Values.Contains(value!, StringComparer.Ordinal),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value!, StringComparer.Ordinal),
                Operator.GreaterThan => has && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var g) && g > long.Parse(Values[0], CultureInfo.InvariantCulture),
                Operator.LessThan => has && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l < long.Parse(Values[0], CultureInfo.InvariantCulture),
                _ => false,
            };
        }
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _position;

        public List<Requirement> ParseAll()
        {
            var requirements = new List<Requirement>();
            while (true)
            {
                requirements.Add(ParseRequirement());
                var next = Next();
                if (next.Kind == TokenKind.End)
                {
                    return requirements;
                }

                if (next.Kind != TokenKind.Comma)
                {
                    throw Fail($"found '{next.Text}', expected: ',' or 'end of string'");
                }
            }
        }

        private Requirement ParseRequirement()
        {
            var first = Next();
            if (first.Kind == TokenKind.Bang)
            {
                var negated = Next();
                if (negated.Kind != TokenKind.Identifier)
                {
                    throw Fail($"found '{negated.Text}', expected: identifier");
                }

                return new Requirement(ValidKey(negated.Text), Operator.DoesNotExist, []);
            }

            if (first.Kind != TokenKind.Identifier)
            {
                throw Fail($"found '{first.Text}', expected: !, identifier, or 'end of string'");
            }

            var key = ValidKey(first.Text);
            var op = Peek();
            switch (op.Kind)
            {
                case TokenKind.Comma:
                case TokenKind.End:
                    return new Requirement(key, Operator.Exists, []);
                case TokenKind.Equals:
                case TokenKind.DoubleEquals:
                    Next();
                    return new Requirement(key, Operator.Equals, [SingleValue()]);
                case TokenKind.NotEquals:
                    Next();
                    return new Requirement(key, Operator.NotEquals, [SingleValue()]);
                case TokenKind.In:
                    Next();
                    return new Requirement(key, Operator.In, ValueSet());
                case TokenKind.NotIn:
                    Next();
                    return new Requirement(key, Operator.NotIn, ValueSet());
                case TokenKind.Greater:
                case TokenKind.Less:
                    Next();
                    var number = SingleValue();
                    if (!long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    {
                        throw Fail($"for 'Gt', 'Lt' operators, the value must be an integer");
                    }

                    return new Requirement(key, op.Kind == TokenKind.Greater ? Operator.GreaterThan : Operator.LessThan, [number]);
                default:
                    throw Fail($"found '{op.Text}', expected: in, notin, =, ==, !=, gt, lt");
            }
        }

        private string SingleValue()
        {
            var token = Peek();
            if (token.Kind is TokenKind.Comma or TokenKind.End)
            {
                return string.Empty;
            }

            Next();
            if (token.Kind is not (TokenKind.Identifier or TokenKind.In or TokenKind.NotIn))
            {
                throw Fail($"found '{token.Text}', expected: identifier");
            }

            return token.Text;
        }

        private List<string> ValueSet()
        {
            var open = Next();
            if (open.Kind != TokenKind.Open)
            {
                throw Fail($"found '{open.Text}', expected: '('");
            }

            var values = new List<string>();
            while (true)
            {
                var token = Next();
                switch (token.Kind)
                {
                    case TokenKind.Identifier:
                    case TokenKind.In:
                    case TokenKind.NotIn:
                        values.Add(token.Text);
                        var after = Next();
                        if (after.Kind == TokenKind.Close)
                        {
                            return values;
                        }

                        if (after.Kind != TokenKind.Comma)
                        {
                            throw Fail($"found '{after.Text}', expected: ',' or ')'");
                        }

                        break;
                    case TokenKind.Close when values.Count == 0:
                        values.Add(string.Empty);
                        return values;
                    default:
                        throw Fail($"found '{token.Text}', expected: identifier or ')'");
                }
            }
        }

        private static string ValidKey(string key)
        {
            var slash = key.LastIndexOf('/');
            var name = slash < 0 ? key : key[(slash + 1)..];
            if (name.Length is 0 or > 63)
            {
                throw Fail($"invalid label key \"{key}\": name part must be non-empty and no more than 63 characters");
            }

            return key;
        }

        private Token Next() => tokens[Math.Min(_position++, tokens.Count - 1)];

        private Token Peek() => tokens[Math.Min(_position, tokens.Count - 1)];

        private static KubernetesStatusException Fail(string detail) =>
            ApiErrors.BadRequest("unable to parse requirement: " + detail);
    }
}
