ActiveSupport::Inflector.inflections(:en) do |inflect|
  inflect.plural /^(ox)$/i, '\1en'
  inflect.singular /^(ox)en/i, '\1'
  inflect.irregular 'person', 'people'
  inflect.irregular "campus", "campuses"
  inflect.uncountable %w( fish sheep equipment )
  inflect.acronym "API"
  inflect.acronym 'HTML5'
  inflect.human /_cnt$/i, '\1_count'
  inflect.clear :plurals if false
end
ActiveSupport::Inflector.inflections(:fr) { |i| i.plural(/$/, "x") }
Admin::HTMLParser api_keys octopi statuses criteria people/person data
