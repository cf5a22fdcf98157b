# An inflections initializer exercising every definition method fullscan reads.
# generate_golden.rb loads it into the real ActiveSupport; tests/inflector.rs applies it
# with Inflector::apply_initializer and compares.

ActiveSupport::Inflector.inflections(:en) do |inflect|
  # Irregulars: same first letter (4 rules), different first letters (8 rules),
  # overriding a default rule, and removing an uncountable.
  inflect.irregular 'cactus', 'cacti'
  inflect.irregular("goose", "geese")
  inflect.irregular 'cow', 'kine'
  inflect.irregular 'octopus', 'octopuses'
  inflect.irregular 'Foot', 'Feet'
  inflect.irregular 'police', 'polices'

  # Regex rules: /i, \A \z, %r{} with the x flag, a named group, \0.
  inflect.plural /(bonu|campu)s$/i, '\1ses'
  inflect.singular /(bonu|campu)ses$/i, '\1s'
  inflect.singular(/^(campus|bonus)$/i, '\1')
  inflect.plural(/\A(nucle|radi)us\z/i, '\1i')
  inflect.singular(/\A(nucle|radi)i\z/i, '\1us')
  inflect.plural %r{(criteri|phenomen)on$}i, '\1a'
  inflect.singular %r{ (criteri|phenomen) a $ # Greek neuter plural
  }xi, '\1on'
  inflect.plural /(?<stem>alumn)us$/i, '\k<stem>i'
  inflect.singular /(?<stem>alumn)i$/i, '\k<stem>us'
  inflect.plural /^pok(e|é)mon$/i, '\0'
  inflect.plural(/(matr)ix$/i, "\\1ixes")
  inflect.plural /^(ox)$/, '\1es'

  # String rules: matched literally anywhere, and they drop uncountables.
  inflect.plural 'sheep', 'sheeps'
  inflect.singular "metadata", "metadata"

  inflect.uncountable %w( feedback staff )
  inflect.uncountable 'Kudos', 'news_feed'
  inflect.uncountable ['aircraft', %w[hardware software]]

  inflect.acronym 'Html'
  inflect.acronym 'API'
  inflect.acronym 'HTTP'
  inflect.acronym 'HTTPS'
  inflect.acronym 'OAuth'
  inflect.acronym 'RESTful'
  inflect.acronym 'iOS'
  inflect.acronym 'SSL'
  inflect.acronym 'ID'
  inflect.acronym '3D'
  inflect.acronym 'HTML'

  inflect.human /_cnt$/i, '\1_count'
end

ActiveSupport::Inflector.inflections { |i| i.irregular 'die', 'dice' }

ActiveSupport::Inflector.inflections(:en).acronym("GraphQL")

# Another locale: does not change the names Rails derives.
ActiveSupport::Inflector.inflections(:fr) do |inflect|
  inflect.plural(/$/, 'x')
end
