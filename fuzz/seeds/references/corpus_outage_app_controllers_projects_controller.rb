class ProjectsController < ApplicationController
  before_action :set_project, only: %i[show edit update destroy]

  def index
    @projects = current_account.projects.active.includes(:owner).order(updated_at: :desc)
  end

  def show
    @tasks = @project.tasks.open.includes(:assignee)
    @members = @project.members
    @comments = @project.comments.includes(:user)
  end

  def new
    @project = current_account.projects.new
  end

  def create
    @project = current_account.projects.new(project_params.merge(owner: current_user))
    if @project.save
      @project.memberships.create!(user: current_user, role: :admin)
      redirect_to @project
    else
      render :new, status: :unprocessable_entity
    end
  end

  def update
    if @project.update(project_params)
      redirect_to @project
    else
      render :edit, status: :unprocessable_entity
    end
  end

  def destroy
    @project.destroy
    redirect_to projects_path
  end

  private

  def set_project
    @project = current_user.projects.find(params[:id])
  end

  def project_params
    params.require(:project).permit(:name, :description)
  end
end
