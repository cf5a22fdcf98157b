Rails.application.routes.draw do
  resources :projects do
    resources :tasks, only: %i[create update destroy]
    resources :comments, only: %i[create destroy]
  end
  resource :account, only: %i[show destroy]

  root "projects#index"
end
